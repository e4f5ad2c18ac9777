package io.loginenrichment.kafka;

import io.loginenrichment.transforms.LoginEventParser;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time for one Kafka partition, taken from {@code created_time}.
 *
 * <p>Watermark: the newest event time seen minus {@code maxOutOfOrderness}; when the partition has
 * no backlog (idle or caught up) it may advance to the backlog-check time minus the same delay, so
 * an idle partition never holds every window back.
 *
 * <p>No record is ever emitted behind the watermark: a record whose event time is older than the
 * partition's watermark is stamped with the watermark instead. It then joins the window that is
 * still open instead of being dropped as late data by the runner (allowed lateness is not
 * supported on every runner), and its true {@code created_time}, which decides the Cassandra write
 * timestamp, is unchanged. Unparseable records get the watermark too; they only go to dead letters.
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {

  private final LoginEventParser parser;
  private final Duration maxOutOfOrderness;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark;

  EventTimePolicy(LoginEventParser parser, Duration maxOutOfOrderness, Optional<Instant> previous) {
    this.parser = parser;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.watermark = previous.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  public static TimestampPolicyFactory<byte[], byte[]> factory(
      LoginEventParser parser, Duration maxOutOfOrderness) {
    return new Factory(parser, maxOutOfOrderness);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    Instant eventTime = parser.eventTimeOrNull(KafkaRecords.toRaw(record));
    return timestampFor(eventTime);
  }

  /** The element timestamp for a record with this event time (null: not a valid event). */
  Instant timestampFor(@Nullable Instant eventTime) {
    if (eventTime == null) {
      return watermark;
    }
    if (eventTime.isAfter(maxEventTime)) {
      maxEventTime = eventTime;
    }
    return eventTime.isBefore(watermark) ? watermark : eventTime;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return advanceWatermark(ctx.getMessageBacklog() == 0, ctx.getBacklogCheckTime());
  }

  Instant advanceWatermark(boolean noBacklog, Instant backlogCheckTime) {
    Instant candidate =
        maxEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)
            ? maxEventTime.minus(maxOutOfOrderness)
            : BoundedWindow.TIMESTAMP_MIN_VALUE;
    if (noBacklog && backlogCheckTime != null) {
      Instant idle = backlogCheckTime.minus(maxOutOfOrderness);
      if (idle.isAfter(candidate)) {
        candidate = idle;
      }
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  private static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {
    private final LoginEventParser parser;
    private final Duration maxOutOfOrderness;

    Factory(LoginEventParser parser, Duration maxOutOfOrderness) {
      this.parser = parser;
      this.maxOutOfOrderness = maxOutOfOrderness;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition tp, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(parser, maxOutOfOrderness, previousWatermark);
    }
  }
}
