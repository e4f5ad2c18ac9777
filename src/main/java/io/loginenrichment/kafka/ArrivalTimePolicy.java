package io.loginenrichment.kafka;

import java.io.Serializable;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The source's clock for one Kafka partition: each record is stamped with the wall clock at the
 * moment it is read minus {@code maxOutOfOrderness}, and the watermark is the same bound, so no
 * record read after a watermark was reported is ever behind it.
 *
 * <p>Why not a watermark from {@code created_time}: the classic SparkRunner takes a micro-batch's
 * watermark as the <em>maximum</em> over its source splits (apache/beam#19411), so a split that has
 * caught up (or reads a lighter partition of a skewed topic) pushes the global watermark past the
 * event times another split is still reading, and the grouping step drops that data as late. A
 * bound on the wall clock is the same on every split, executor and runner without any
 * coordination between them, holds for idle partitions, and cannot run ahead of unread data.
 * {@code ParseLoginEvents} then moves each valid event forward to its
 * {@code created_time} when that is later, so live logins keep their event-time windows and a
 * backlog older than {@code maxOutOfOrderness} is applied in the windows open while it is read.
 * Which login wins is decided by {@code created_time} either way.
 */
public final class ArrivalTimePolicy extends TimestampPolicy<byte[], byte[]> {

  /** The wall clock, injectable for tests; serializable because the factory travels to workers. */
  public interface Clock extends SerializableFunction<Void, Instant> {
    Clock SYSTEM = ignored -> Instant.now();

    default Instant now() {
      return apply(null);
    }
  }

  private final Clock clock;
  private final Duration maxOutOfOrderness;
  private Instant watermark;

  ArrivalTimePolicy(Clock clock, Duration maxOutOfOrderness, Optional<Instant> previous) {
    this.clock = clock;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  public static TimestampPolicyFactory<byte[], byte[]> factory(Duration maxOutOfOrderness) {
    return factory(Clock.SYSTEM, maxOutOfOrderness);
  }

  static TimestampPolicyFactory<byte[], byte[]> factory(Clock clock, Duration maxOutOfOrderness) {
    return new Factory(clock, maxOutOfOrderness);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    return advance();
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return advance();
  }

  /** Never backwards, even if the wall clock steps back or a restored watermark is ahead of it. */
  Instant advance() {
    Instant bound = clock.now().minus(maxOutOfOrderness);
    if (bound.isAfter(watermark)) {
      watermark = bound;
    }
    return watermark;
  }

  private static final class Factory implements TimestampPolicyFactory<byte[], byte[]>, Serializable {
    private final Clock clock;
    private final Duration maxOutOfOrderness;

    Factory(Clock clock, Duration maxOutOfOrderness) {
      this.clock = clock;
      this.maxOutOfOrderness = maxOutOfOrderness;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      return new ArrivalTimePolicy(clock, maxOutOfOrderness, previousWatermark);
    }
  }
}
