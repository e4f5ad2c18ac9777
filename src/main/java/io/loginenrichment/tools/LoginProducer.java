package io.loginenrichment.tools;

import io.loginenrichment.kafka.KafkaConnection;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Sends login records keyed by login_id, with an optional rate limit. */
public final class LoginProducer implements Closeable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private long sent;

  public LoginProducer(KafkaConnection kafka, String topic) {
    Map<String, Object> props = LocalSetup.withBootstrap(kafka);
    props.put("acks", "all");
    props.put("linger.ms", "5");
    props.put("enable.idempotence", "true");
    // Room for hostile multi-megabyte records (the local broker accepts up to 8 MB).
    props.put("max.request.size", String.valueOf(8 * 1024 * 1024));
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  public void send(@Nullable String key, byte @Nullable [] value) {
    send(null, key, value);
  }

  /** To a chosen partition (null: by key), e.g. to skew a test's topic. */
  public void send(@Nullable Integer partition, @Nullable String key, byte @Nullable [] value) {
    Exception f = failure.get();
    if (f != null) {
      throw new IllegalStateException("sending to " + topic + " failed: " + f, f);
    }
    producer.send(
        new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value),
        (meta, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    sent++;
  }

  public long sent() {
    return sent;
  }

  /** Waits until everything sent so far is acknowledged. */
  public void flush() {
    producer.flush();
    Exception f = failure.get();
    if (f != null) {
      throw new IllegalStateException("sending to " + topic + " failed: " + f, f);
    }
  }

  @Override
  public void close() {
    flush();
    producer.close();
  }
}
