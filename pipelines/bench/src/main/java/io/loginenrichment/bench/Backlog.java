package io.loginenrichment.bench;

import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The drain scenario's input: a deterministic backlog (one hour of event time, +/-2 min out of
 * order, Zipf users, 1% unknown ids, 0.5% malformed) and the table it must produce.
 */
final class Backlog {
  /** Fixed, so every run sends the same bytes and expects the same table. */
  static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
  /** Every user's last_login before the drain: older than any event. */
  static final Instant INITIAL_LAST_LOGIN = START.minus(Duration.ofDays(1));

  final SyntheticLogins logins;
  final Map<String, String> users;
  final Map<String, Instant> expected = new HashMap<>();
  final Map<SyntheticLogins.Kind, Long> kinds = new EnumMap<>(SyntheticLogins.Kind.class);
  final long events;

  Backlog(long events, int users, long seed) {
    this.events = events;
    this.logins =
        new SyntheticLogins(
            new SyntheticLogins.Settings(
                users, events, 1.1, 0.01, 0.005, Duration.ofMinutes(2), START, Duration.ofHours(1), seed));
    this.users = logins.users();
    this.users.keySet().forEach(id -> expected.put(id, INITIAL_LAST_LOGIN));
  }

  /** Sends the backlog and returns events/s of the producer. */
  double send(KafkaConnection kafka, String topic) {
    long t0 = System.nanoTime();
    try (LoginProducer producer = new LoginProducer(kafka, topic)) {
      Iterator<SyntheticLogins.Event> it = logins.events();
      while (it.hasNext()) {
        SyntheticLogins.Event e = it.next();
        producer.send(e.key(), e.value());
        kinds.merge(e.kind(), 1L, Long::sum);
        if (e.kind() == SyntheticLogins.Kind.VALID) {
          expected.merge(e.loginId(), e.createdTime(), (a, b) -> a.isAfter(b) ? a : b);
        }
      }
    }
    return events / ((System.nanoTime() - t0) / 1e9);
  }

  long kind(SyntheticLogins.Kind k) {
    return kinds.getOrDefault(k, 0L);
  }

  /** Rows that differ from the expected table (missing, extra or wrong last_login). */
  int mismatches(Map<String, Instant> actual) {
    int bad = 0;
    for (Map.Entry<String, Instant> e : expected.entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        bad++;
      }
    }
    for (String id : actual.keySet()) {
      if (!expected.containsKey(id)) {
        bad++;
      }
    }
    return bad;
  }
}
