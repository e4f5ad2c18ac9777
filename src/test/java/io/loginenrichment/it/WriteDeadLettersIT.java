package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.deadletter.WriteDeadLetters;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcePosition;
import io.loginenrichment.tools.DeadLetterTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dead letters in, JSON records on the real dead-letter topic and the positions of the published
 * ones out, on the DirectRunner. Each test reads only what was published after it started.
 */
@ExtendWith(TestPipelineExtension.class)
class WriteDeadLettersIT {
  static final String INPUT = "logins";
  static final byte[] KEY = "device-7".getBytes(StandardCharsets.UTF_8);
  static final DeadLetter NOT_JSON =
      DeadLetter.of(Reason.INVALID_JSON, "Unrecognized token 'not'", new SourcePosition(INPUT, 2, 17), KEY, utf8("not json"));
  static final DeadLetter UNKNOWN_USER =
      DeadLetter.of(
          Reason.UNKNOWN_USER,
          "no user with login_id 999999 in the users table",
          new SourcePosition(INPUT, 0, 4),
          "{\"login_id\": \"999999\", \"created_time\": \"2020-09-20 10:00:41\"}");
  static final DeadLetter NULL_VALUE =
      DeadLetter.of(Reason.EMPTY_VALUE, "null value", new SourcePosition(INPUT, 1, 9), null, null);
  static final DeadLetter NOT_UTF8 =
      DeadLetter.of(
          Reason.INVALID_ENCODING, "value is not valid UTF-8", new SourcePosition(INPUT, 1, 10), null, new byte[] {(byte) 0xC3, 0x28});
  /** How many the positions test publishes: enough that sends are still in flight at a bundle's end. */
  static final int MANY = 2_000;

  static RealServers servers;

  @BeforeAll
  static void servers() throws Exception {
    servers = new RealServers("writedeadletters", "direct");
  }

  @AfterAll
  static void close() {
    if (servers != null) {
      servers.close();
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static PCollection<SourceOffsets> publish(TestPipeline p, List<DeadLetter> deadLetters) {
    return p.apply("DeadLetters", Create.of(deadLetters).withCoder(SerializableCoder.of(DeadLetter.class)))
        .apply("WriteDeadLetters", new WriteDeadLetters(servers.kafka, servers.deadLetterTopic));
  }

  @Test
  void eachDeadLetterIsPublishedWithItsReasonPayloadSourceAndKey(TestPipeline p) {
    Map<TopicPartition, Long> from = DeadLetterTopic.endOffsets(servers.kafka, servers.deadLetterTopic);
    PCollection<SourceOffsets> positions = publish(p, List.of(NOT_JSON, UNKNOWN_USER, NULL_VALUE, NOT_UTF8));

    PAssert.that(positions)
        .containsInAnyOrder(
            SourceOffsets.of(NOT_JSON.source()),
            SourceOffsets.of(UNKNOWN_USER.source()),
            SourceOffsets.of(NULL_VALUE.source()),
            SourceOffsets.of(NOT_UTF8.source()));
    p.run();

    Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records(servers.kafka, servers.deadLetterTopic, from)) {
      byOffset.put(json(r).path("offset").asLong(), r);
    }
    assertThat(byOffset).containsOnlyKeys(17L, 4L, 9L, 10L);

    ConsumerRecord<byte[], byte[]> notJson = byOffset.get(17L);
    assertThat(notJson.key()).as("keyed as the original record").isEqualTo(KEY);
    assertThat(json(notJson).path("reason").asText()).isEqualTo("invalid_json");
    assertThat(json(notJson).path("error").asText()).isEqualTo("Unrecognized token 'not'");
    assertThat(json(notJson).path("topic").asText()).isEqualTo(INPUT);
    assertThat(json(notJson).path("partition").asInt()).isEqualTo(2);
    assertThat(json(notJson).path("payload").asText()).isEqualTo("not json");
    assertThat(json(notJson).path("payload_encoding").asText()).isEqualTo("utf8");

    assertThat(json(byOffset.get(4L)).path("reason").asText()).isEqualTo("unknown_user");
    assertThat(json(byOffset.get(4L)).path("payload").asText()).isEqualTo(UNKNOWN_USER.payload());
    assertThat(json(byOffset.get(9L)).path("payload").isNull()).as("a null value stays null").isTrue();
    assertThat(json(byOffset.get(9L)).path("payload_encoding").asText()).isEqualTo("none");
    assertThat(json(byOffset.get(10L)).path("payload").asText()).isEqualTo("wyg="); // base64 of C3 28
    assertThat(json(byOffset.get(10L)).path("payload_encoding").asText()).isEqualTo("base64");
  }

  @Test
  void positionsAreEmittedOnlyOnceTheirDeadLetterIsInTheTopic(TestPipeline p) {
    Map<TopicPartition, Long> from = DeadLetterTopic.endOffsets(servers.kafka, servers.deadLetterTopic);
    List<DeadLetter> many = new ArrayList<>();
    List<KV<String, Boolean>> expected = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      SourcePosition source = new SourcePosition(INPUT, 3, 1_000 + i);
      many.add(DeadLetter.of(Reason.INVALID_JSON, "not JSON", source, KEY, utf8("bad " + i)));
      expected.add(KV.of(SourceOffsets.of(source).toString(), true));
    }
    PCollection<KV<String, Boolean>> inTopicWhenEmitted =
        publish(p, many)
            .apply("ReadTopicOnEmission", ParDo.of(new InTopicFn(servers.kafka, servers.deadLetterTopic, from)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()));

    // Every position comes out once, and its dead letter could be read from the topic when it did.
    PAssert.that(inTopicWhenEmitted).containsInAnyOrder(expected);
    p.run();
  }

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
    try {
      return JSON.readTree(r.value());
    } catch (IOException e) {
      throw new IllegalStateException("dead letter at offset " + r.offset() + " is not JSON", e);
    }
  }

  /** Every record of the topic after {@code from}, with its key. */
  static List<ConsumerRecord<byte[], byte[]>> records(KafkaConnection kafka, String topic, Map<TopicPartition, Long> from) {
    Map<String, Object> props = kafka.clientProperties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>(from.keySet());
      c.assign(parts);
      from.forEach(c::seek);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * For each emitted position: whether its dead letter was in the topic when the position came
   * out. The topic is read once per bundle, at its first position, and not again: every position
   * of the bundle must already be there.
   */
  static final class InTopicFn extends DoFn<SourceOffsets, KV<String, Boolean>> {
    private final KafkaConnection kafka;
    private final String topic;
    private final HashMap<TopicPartition, Long> from;
    private transient @Nullable Set<String> inTopic;

    InTopicFn(KafkaConnection kafka, String topic, Map<TopicPartition, Long> from) {
      this.kafka = kafka;
      this.topic = topic;
      this.from = new HashMap<>(from);
    }

    @StartBundle
    public void startBundle() {
      inTopic = null;
    }

    @ProcessElement
    public void process(@Element SourceOffsets position, OutputReceiver<KV<String, Boolean>> out) {
      if (inTopic == null) {
        inTopic = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records(kafka, topic, from)) {
          JsonNode d = json(r);
          SourcePosition source = new SourcePosition(INPUT, d.path("partition").asInt(), d.path("offset").asLong());
          inTopic.add(SourceOffsets.of(source).toString());
        }
      }
      out.output(KV.of(position.toString(), inTopic.contains(position.toString())));
    }
  }
}
