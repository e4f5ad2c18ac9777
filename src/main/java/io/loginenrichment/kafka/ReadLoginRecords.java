package io.loginenrichment.kafka;

import io.loginenrichment.options.CommitOffsets;
import io.loginenrichment.options.StartingOffsets;
import io.loginenrichment.model.RawLoginRecord;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * The logins topic in; raw records out, timestamped by {@link ArrivalTimePolicy} (event time is
 * assigned once the record is parsed). The bytes are read untouched (parsing happens downstream, so bad records become dead letters
 * instead of deserializer exceptions). A new reader starts at the group's committed offsets; who
 * commits them is {@link CommitOffsets}: by default {@link CommitWrittenOffsets}, after the
 * writes.
 */
public final class ReadLoginRecords extends PTransform<PBegin, PCollection<RawLoginRecord>> {

  private final KafkaConnection kafka;
  private final String topic;
  private final String consumerGroup;
  private final StartingOffsets startingOffsets;
  private final Duration maxOutOfOrderness;
  private final CommitOffsets commitOffsets;

  public ReadLoginRecords(
      KafkaConnection kafka,
      String topic,
      String consumerGroup,
      StartingOffsets startingOffsets,
      Duration maxOutOfOrderness,
      CommitOffsets commitOffsets) {
    this.commitOffsets = commitOffsets;
    this.kafka = kafka;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.startingOffsets = startingOffsets;
    this.maxOutOfOrderness = maxOutOfOrderness;
  }

  @Override
  public PCollection<RawLoginRecord> expand(PBegin begin) {
    Map<String, Object> consumer = kafka.clientProperties();
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, startingOffsets.name().toLowerCase());
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(kafka.bootstrapServers())
            .withTopic(topic)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumer)
            .withTimestampPolicyFactory(ArrivalTimePolicy.factory(maxOutOfOrderness));
    if (commitOffsets == CommitOffsets.ON_READ) {
      read = read.commitOffsetsInFinalize();
    }
    return begin.apply("KafkaRead", read).apply("ToRawRecord", ParDo.of(new ToRawFn()));
  }

  private static final class ToRawFn extends DoFn<KafkaRecord<byte[], byte[]>, RawLoginRecord> {
    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record, OutputReceiver<RawLoginRecord> out) {
      out.output(KafkaRecords.toRaw(record));
    }
  }
}
