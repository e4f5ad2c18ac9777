package io.loginenrichment.kafka;

import io.loginenrichment.options.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How far the consumer group is behind its topic, per partition: records (end offset minus
 * committed offset) and seconds (age of the oldest record not yet committed, by its Kafka
 * timestamp). With offsets committed after the writes, this is what is read but not yet written
 * plus what is not read yet.
 */
public final class ConsumerLag implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 10;

  /** One partition's lag; {@code committed} is -1 when the group has committed nothing there. */
  public record PartitionLag(int partition, long endOffset, long committed, long records, double seconds) {}

  private final KafkaConnection kafka;
  private final String topic;
  private final String group;
  private KafkaConsumer<byte[], byte[]> peeker;

  /** The lag of the pipeline's own group on its input topic. */
  public static ConsumerLag of(KafkaOptions o) {
    return new ConsumerLag(KafkaConnection.fromOptions(o), o.getInputTopic(), o.getConsumerGroup());
  }

  public ConsumerLag(KafkaConnection kafka, String topic, String group) {
    this.kafka = kafka;
    this.topic = topic;
    this.group = group;
  }

  /** The lag of every partition of the topic, measured now. */
  public synchronized List<PartitionLag> measure() throws Exception {
    Admin admin = SharedKafkaClients.admin(kafka);
    List<TopicPartition> partitions = new ArrayList<>();
    admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic).partitions()
        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    partitions.forEach(tp -> {
      latest.put(tp, OffsetSpec.latest());
      earliest.put(tp, OffsetSpec.earliest());
    });
    var ends = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    var starts = admin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, Long> behind = new HashMap<>();
    List<PartitionLag> out = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long end = ends.get(tp).offset();
      OffsetAndMetadata c = committed.get(tp);
      long from = c == null ? starts.get(tp).offset() : c.offset();
      if (end > from) {
        behind.put(tp, from);
      }
      out.add(new PartitionLag(tp.partition(), end, c == null ? -1 : c.offset(), Math.max(0, end - from), 0));
    }
    Map<Integer, Long> oldest = oldestTimestamps(behind);
    long now = System.currentTimeMillis();
    out.replaceAll(
        l -> oldest.containsKey(l.partition())
            ? new PartitionLag(l.partition(), l.endOffset(), l.committed(), l.records(),
                Math.max(0, now - oldest.get(l.partition())) / 1000.0)
            : l);
    return out;
  }

  /** The timestamp of the record at each given offset (the oldest one not committed). */
  private Map<Integer, Long> oldestTimestamps(Map<TopicPartition, Long> offsets) {
    Map<Integer, Long> out = new HashMap<>();
    if (offsets.isEmpty()) {
      return out;
    }
    KafkaConsumer<byte[], byte[]> consumer = peeker();
    consumer.assign(offsets.keySet());
    offsets.forEach(consumer::seek);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (out.size() < offsets.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        out.putIfAbsent(r.partition(), r.timestamp());
        consumer.pause(List.of(new TopicPartition(r.topic(), r.partition())));
      }
    }
    consumer.resume(consumer.paused());
    return out;
  }

  private KafkaConsumer<byte[], byte[]> peeker() {
    if (peeker == null) {
      Map<String, Object> props = new HashMap<>(kafka.clientProperties());
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, "login-enrichment-lag");
      peeker = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return peeker;
  }

  @Override
  public synchronized void close() {
    if (peeker != null) {
      peeker.close(Duration.ofSeconds(2));
      peeker = null;
    }
  }
}
