package io.loginenrichment.kafka;

import io.loginenrichment.options.Durations;
import io.loginenrichment.options.CommitOffsets;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.options.StartingOffsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a consumer group's committed offsets back by a span of record time before the pipeline
 * starts; used with {@code --commitOffsets=ON_READ} (with commits after writes there is nothing to
 * rewind). KafkaIO commits an offset once the record is read, before the window holding it fires
 * and its row is written; a crash in between would skip those logins on restart. Re-reading the
 * last {@code span} of each partition covers every window that may not have fired, and costs
 * nothing in correctness: upserts are idempotent and never move last_login backwards (dead
 * letters of the replayed records are published again, at least once).
 *
 * <p>The span is measured back from the timestamp of the last committed record of each partition,
 * not from now, so a pipeline that was down for hours still re-reads what it had in flight.
 */
public final class RewindCommittedOffsets {
  private static final Logger LOG = LoggerFactory.getLogger(RewindCommittedOffsets.class);

  private RewindCommittedOffsets() {}

  /** Returns the partitions moved, with their new offsets; nothing when the group has no offsets. */
  public static Map<TopicPartition, Long> rewind(KafkaConnection kafka, String topic, String group, Duration span)
      throws InterruptedException, ExecutionException {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("bootstrap.servers", kafka.bootstrapServers());
    Map<TopicPartition, Long> moved = new HashMap<>();
    try (Admin admin = Admin.create(props)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
      props.put("enable.auto.commit", "false");
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
          TopicPartition tp = e.getKey();
          if (!tp.topic().equals(topic) || e.getValue() == null || e.getValue().offset() <= 0) {
            continue;
          }
          long offset = e.getValue().offset();
          Long lastTimestamp = timestampAt(consumer, tp, offset - 1);
          if (lastTimestamp == null) {
            continue;
          }
          OffsetAndTimestamp from =
              consumer.offsetsForTimes(Map.of(tp, lastTimestamp - span.toMillis())).get(tp);
          long target = from == null ? offset : Math.min(offset, from.offset());
          if (target < offset) {
            rewound.put(tp, new OffsetAndMetadata(target));
            moved.put(tp, target);
            LOG.info("Re-reading {} records of {} in group {} ({} before its last committed record)",
                offset - target, tp, group, span);
          }
        }
      }
      if (!rewound.isEmpty()) {
        admin.alterConsumerGroupOffsets(group, rewound).all().get();
      }
    }
    return moved;
  }

  /**
   * Gives every partition of {@code topic} without a committed offset one at {@code start}: the
   * position KafkaIO will start from. Committing after writes needs it for LATEST, where "the end
   * of the partition" would otherwise mean a different offset by the time anything is written.
   */
  public static void commitStartingOffsets(
      KafkaConnection kafka, String topic, String group, StartingOffsets start)
      throws InterruptedException, ExecutionException {
    Admin admin = SharedKafkaClients.admin(kafka);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> missing = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      TopicPartition tp = new TopicPartition(topic, p);
      if (committed.get(tp) == null) {
        missing.put(tp, start == StartingOffsets.LATEST ? OffsetSpec.latest() : OffsetSpec.earliest());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
    admin.listOffsets(missing).all().get().forEach((tp, info) -> starts.put(tp, new OffsetAndMetadata(info.offset())));
    admin.alterConsumerGroupOffsets(group, starts).all().get();
    LOG.info("Group {} starts {} at {}", group, topic, starts);
  }

  private static Long timestampAt(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long offset) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
        return r.timestamp();
      }
    }
    return null; // deleted by retention, or unreadable: leave the partition alone
  }

  /**
   * Before reading: a group without offsets gets its starting ones (so commits after writes have
   * a base), then the group is rewound by {@code --replayOnStart} so a restart re-reads what the
   * last run had read but maybe not yet written.
   */
  public static void prepareGroup(LoginEnrichmentOptions o) {
    KafkaConnection kafka = KafkaConnection.fromOptions(o);
    org.joda.time.Duration span = replaySpan(o);
    try {
      commitStartingOffsets(kafka, o.getInputTopic(), o.getConsumerGroup(), o.getStartingOffsets());
      if (span.isLongerThan(org.joda.time.Duration.ZERO)) {
        rewind(kafka, o.getInputTopic(), o.getConsumerGroup(), Duration.ofMillis(span.getMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the consumer group", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot prepare consumer group " + o.getConsumerGroup() + " on " + o.getBootstrapServers(), e.getCause());
    }
  }

  /** {@code --replayOnStart}; {@code auto} is what may be in flight: two windows, disorder and lateness. */
  public static org.joda.time.Duration replaySpan(LoginEnrichmentOptions o) {
    if ("auto".equals(o.getReplayOnStart())) {
      if (o.getCommitOffsets() == CommitOffsets.AFTER_WRITE) {
        return org.joda.time.Duration.ZERO; // the group never runs ahead of the writes
      }
      return Durations.parse("windowSize", o.getWindowSize())
          .multipliedBy(2)
          .plus(Durations.parse("maxOutOfOrderness", o.getMaxOutOfOrderness()))
          .plus(Durations.parse("allowedLateness", o.getAllowedLateness()));
    }
    return Durations.parse("replayOnStart", o.getReplayOnStart());
  }
}
