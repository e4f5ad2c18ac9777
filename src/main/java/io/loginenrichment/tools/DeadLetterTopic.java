package io.loginenrichment.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.kafka.KafkaConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the dead-letter topic without a consumer group (no offsets committed, nothing consumed). */
public final class DeadLetterTopic {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterTopic() {}

  /** End offset of every partition: where "from now on" starts. */
  public static Map<TopicPartition, Long> endOffsets(KafkaConnection kafka, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(kafka)) {
      return new HashMap<>(c.endOffsets(partitions(c, topic)));
    }
  }

  /** Every dead letter after {@code from} (empty map: from the beginning), as parsed JSON. */
  public static List<JsonNode> read(KafkaConnection kafka, String topic, Map<TopicPartition, Long> from) {
    List<JsonNode> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(kafka)) {
      List<TopicPartition> parts = partitions(c, topic);
      c.assign(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      for (TopicPartition tp : parts) {
        c.seek(tp, from.getOrDefault(tp, 0L));
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (!reached(c, end) && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          try {
            out.add(JSON.readTree(r.value()));
          } catch (IOException e) {
            throw new IllegalStateException("dead letter at " + r.topic() + "-" + r.partition() + "@" + r.offset() + " is not JSON", e);
          }
        }
      }
    }
    return out;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
    return c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  private static KafkaConsumer<byte[], byte[]> consumer(KafkaConnection kafka) {
    Map<String, Object> props = LocalSetup.withBootstrap(kafka);
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
