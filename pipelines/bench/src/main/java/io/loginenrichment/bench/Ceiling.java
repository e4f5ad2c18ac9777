package io.loginenrichment.bench;

import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.ResultSetFuture;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.LastLoginUpsertMapper;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.tools.ProcessMemory;
import io.loginenrichment.parse.LoginEventParser;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * The practical hardware limit the pipeline is measured against: the plainest fast program on the
 * same servers. One consumer, the same parser, a user-id set loaded up front, newest login per user
 * per poll, async prepared {@code UPDATE ... USING TIMESTAMP} with bounded in-flight requests. No
 * windows, no checkpoints, no dead-letter topic, no recovery: everything the pipeline adds is cost.
 */
final class Ceiling {
  private static final int IN_FLIGHT = 512;

  private Ceiling() {}

  static Map<String, Object> run(BenchServers servers, Backlog backlog, String topic) throws Exception {
    System.out.printf("[ceiling] loading %,d users...%n", backlog.users.size());
    CassandraConnection table = servers.resetTable("drain_ceiling", backlog.users, Backlog.INITIAL_LAST_LOGIN);
    PreparedStatement upsert = servers.session.prepare(LastLoginUpsertMapper.upsertCql(table.qualifiedUsersTable()));
    LoginEventParser parser =
        new LoginEventParser(ZoneOffset.UTC, org.joda.time.Duration.standardMinutes(5), 64 * 1024, Clock.systemUTC());
    Map<String, Object> props = new HashMap<>(servers.kafka.clientProperties());
    props.put("bootstrap.servers", servers.kafka.bootstrapServers());
    props.put("group.id", "bench-ceiling-" + System.currentTimeMillis());
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    props.put("max.poll.records", "5000");
    props.put("fetch.min.bytes", "65536");
    System.out.printf("[ceiling] draining %,d events...%n", backlog.events);

    Set<String> known = servers.lastLogins(table).keySet(); // loaded up front, as a side input would be
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicLong failures = new AtomicLong();
    long consumed = 0;
    long writes = 0;
    long deadLetters = 0;
    long first = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (consumed < backlog.events) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(java.time.Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        if (first == 0) {
          first = System.nanoTime();
        }
        Map<String, Instant> newest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          consumed++;
          LoginEventParser.Outcome outcome =
              parser.parse(RawLoginRecord.of(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
          if (outcome instanceof LoginEventParser.Valid v && known.contains(v.event().loginId())) {
            newest.merge(v.event().loginId(), v.event().createdTime(), (a, b) -> a.isAfter(b) ? a : b);
          } else {
            deadLetters++;
          }
        }
        for (Map.Entry<String, Instant> e : newest.entrySet()) {
          inFlight.acquire();
          long millis = e.getValue().getMillis();
          ResultSetFuture f = servers.session.executeAsync(upsert.bind(millis * 1000, new Date(millis), e.getKey()));
          f.addListener(
              () -> {
                try {
                  f.getUninterruptibly();
                } catch (RuntimeException ex) {
                  failures.incrementAndGet();
                } finally {
                  inFlight.release();
                }
              },
              Runnable::run);
          writes++;
        }
      }
      inFlight.acquire(IN_FLIGHT);
      inFlight.release(IN_FLIGHT);
    }
    double seconds = (System.nanoTime() - first) / 1e9;
    int mismatches = backlog.mismatches(servers.lastLogins(table));
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("runner", "ceiling");
    r.put("events", backlog.events);
    r.put("table_correct", mismatches == 0 && failures.get() == 0);
    r.put("mismatched_rows", mismatches);
    r.put("events_per_s", Math.round(backlog.events / seconds));
    r.put("drain_s", Drain.round1(seconds));
    r.put("cassandra_writes", writes);
    r.put("failed_writes", failures.get());
    r.put("dead_letters", deadLetters);
    r.put("peak_rss_mb", ProcessMemory.peakRssBytes(ProcessHandle.current().pid()) / (1024 * 1024));
    System.out.printf(
        "[ceiling] %,d events in %.1f s = %,d ev/s, %,d writes, table %s%n",
        backlog.events, seconds, Math.round(backlog.events / seconds), writes,
        mismatches == 0 ? "correct" : mismatches + " rows wrong");
    return r;
  }
}
