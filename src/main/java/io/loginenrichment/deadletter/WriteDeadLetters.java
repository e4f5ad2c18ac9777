package io.loginenrichment.deadletter;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.kafka.SharedKafkaClients;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.writing.AcknowledgedPositions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.joda.time.Instant;

/**
 * Dead letters in; one JSON record each on the dead-letter topic, keyed by the original record's
 * key so they sit beside related records. Out come the source positions of the dead letters
 * Kafka has acknowledged, so their offsets can be committed. A bundle completes only when all its
 * dead letters are acknowledged; a failed send fails the bundle, which the runner retries.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PCollection<SourceOffsets>> {
  private static final int MAX_IN_FLIGHT = 1_000;

  private final KafkaConnection kafka;
  private final String topic;

  public WriteDeadLetters(KafkaConnection kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  @Override
  public PCollection<SourceOffsets> expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply("PublishDeadLetters", ParDo.of(new PublishFn(kafka, topic)))
        .setCoder(SourceOffsets.CODER);
  }

  static final class PublishFn extends DoFn<DeadLetter, SourceOffsets> {
    private final KafkaConnection kafka;
    private final String topic;
    private transient AcknowledgedPositions pending;

    PublishFn(KafkaConnection kafka, String topic) {
      this.kafka = kafka;
      this.topic = topic;
    }

    @StartBundle
    public void startBundle() {
      pending = new AcknowledgedPositions(MAX_IN_FLIGHT);
    }

    @ProcessElement
    public void process(
        @Element DeadLetter d, @Timestamp Instant timestamp, BoundedWindow window, OutputReceiver<SourceOffsets> out)
        throws InterruptedException, ExecutionException {
      Future<RecordMetadata> send =
          SharedKafkaClients.producer(kafka)
              .send(new ProducerRecord<>(topic, d.key(), d.toJson().getBytes(StandardCharsets.UTF_8)));
      pending.add(send, SourceOffsets.of(d.source()), timestamp, window, out);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws InterruptedException, ExecutionException {
      pending.finish(c);
    }
  }
}
