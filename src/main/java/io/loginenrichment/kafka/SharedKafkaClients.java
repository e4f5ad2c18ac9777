package io.loginenrichment.kafka;

import io.loginenrichment.util.JvmShutdown;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One producer and one admin client per connection per JVM, shared by every DoFn instance: the
 * SparkRunner sets DoFns up per partition per micro-batch, and a client per bundle would cost a
 * connection and a metadata round trip each time. Closed when the JVM exits.
 */
public final class SharedKafkaClients {
  private static final ConcurrentMap<KafkaConnection, KafkaProducer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();
  private static final ConcurrentMap<KafkaConnection, Admin> ADMINS = new ConcurrentHashMap<>();

  static {
    JvmShutdown.onExit(
        "kafka-clients-close",
        () -> {
          PRODUCERS.values().forEach(KafkaProducer::close);
          ADMINS.values().forEach(Admin::close);
        });
  }

  private SharedKafkaClients() {}

  /**
   * A producer that waits for all in-sync replicas. Not idempotent: dead letters are at least once
   * anyway, and an idempotent producer whose broker restarted uncleanly can retry
   * OUT_OF_ORDER_SEQUENCE_NUMBER forever; this one fails a send after delivery.timeout.ms (2 min),
   * failing the bundle, which the runner retries.
   */
  public static KafkaProducer<byte[], byte[]> producer(KafkaConnection kafka) {
    return PRODUCERS.computeIfAbsent(
        kafka,
        k -> {
          Map<String, Object> props = new HashMap<>(k.clientProperties());
          props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
          props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
          return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        });
  }

  public static Admin admin(KafkaConnection kafka) {
    return ADMINS.computeIfAbsent(
        kafka,
        k -> {
          Map<String, Object> props = new HashMap<>(k.clientProperties());
          props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
          return Admin.create(props);
        });
  }
}
