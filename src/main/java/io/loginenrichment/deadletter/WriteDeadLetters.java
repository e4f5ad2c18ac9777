package io.loginenrichment.deadletter;

import io.loginenrichment.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dead letters in; one JSON record each on the dead-letter topic out, keyed by the original
 * record's key so they sit beside related records.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final KafkaConnection kafka;
  private final String topic;

  public WriteDeadLetters(KafkaConnection kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply(
            "ToJson",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptor.of(byte[].class), TypeDescriptor.of(byte[].class)))
                .via(
                    (DeadLetter d) ->
                        KV.of(d.key(), d.toJson().getBytes(StandardCharsets.UTF_8))))
        // Records without a key stay without one.
        .setCoder(KvCoder.of(NullableCoder.of(ByteArrayCoder.of()), ByteArrayCoder.of()))
        .apply(
            "KafkaWrite",
            KafkaIO.<byte[], byte[]>write()
                .withBootstrapServers(kafka.bootstrapServers())
                .withTopic(topic)
                .withKeySerializer(ByteArraySerializer.class)
                .withValueSerializer(ByteArraySerializer.class)
                .withProducerConfigUpdates(kafka.clientProperties()));
  }
}
