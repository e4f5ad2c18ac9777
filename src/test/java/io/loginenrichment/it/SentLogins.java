package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * What a fault test sent, and the verifier it ends with: the table holds exactly the newest valid
 * login per user, every invalid record is in the dead-letter topic with a reason, and the counters
 * account for every record.
 */
final class SentLogins {
  private final Map<String, Instant> expected;
  private long sent;
  private long invalid;

  /** Starts from the table as loaded ({@code login_id -> last_login}). */
  SentLogins(Map<String, Instant> loaded) {
    this.expected = new TreeMap<>(loaded);
  }

  void send(LoginProducer producer, SyntheticLogins.Event e) {
    send(producer, null, e);
  }

  /** To a chosen partition (null: by key). */
  void send(LoginProducer producer, Integer partition, SyntheticLogins.Event e) {
    producer.send(partition, e.key(), e.value());
    sent++;
    invalid += expect(expected, e) ? 0 : 1;
  }

  /** Raises the user's expected last_login if {@code e} is a newer valid login; false if invalid. */
  static boolean expect(Map<String, Instant> expected, SyntheticLogins.Event e) {
    if (e.kind() != SyntheticLogins.Kind.VALID) {
      return false;
    }
    expected.merge(e.loginId(), e.createdTime(), (a, b) -> a.isAfter(b) ? a : b);
    return true;
  }

  /** A record the pipeline must dead-letter (e.g. from the hostile corpus). */
  void sendInvalid(LoginProducer producer, byte[] value) {
    producer.send(null, value);
    sent++;
    invalid++;
  }

  long sent() {
    return sent;
  }

  long invalid() {
    return invalid;
  }

  /**
   * Waits for the table to equal the newest valid login per user and for every invalid record's
   * offset to be dead-lettered (at least once: a record re-read after a fault may be published
   * twice, with the same source offset).
   */
  void awaitAllApplied(RealServers servers, Duration timeout) throws InterruptedException {
    RealServers.await(timeout, servers::lastLogins, expected);
    RealServers.await(Duration.ofSeconds(60), () -> deadLetteredOffsets(servers).size(), (int) invalid);
    assertThat(servers.lastLogins()).isEqualTo(expected);
  }

  /**
   * Whether the table reaches the newest valid login per user within {@code timeout}; false
   * instead of failing, for a test that then restarts the pipeline.
   */
  boolean tableReaches(RealServers servers, Duration timeout) throws InterruptedException {
    try {
      RealServers.await(timeout, servers::lastLogins, expected);
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }

  /**
   * The counters of one run that read every record exactly once: in = known logins + dead
   * letters, and no more rows written than known logins (the rest were merged within a window).
   */
  void assertCountersBalance(ToLongFunction<String> counter) {
    assertThat(counter.applyAsLong("events_in")).as("events_in").isEqualTo(sent);
    assertThat(counter.applyAsLong("logins_known") + counter.applyAsLong("dead_letters"))
        .as("logins_known + dead_letters = events_in")
        .isEqualTo(sent);
    assertThat(counter.applyAsLong("dead_letters")).as("dead_letters").isEqualTo(invalid);
    assertThat(counter.applyAsLong("logins_lost_in_grouping")).as("logins_lost_in_grouping").isZero();
    assertThat(counter.applyAsLong("rows_emitted"))
        .as("rows written (the rest merged)")
        .isPositive()
        .isLessThanOrEqualTo(counter.applyAsLong("logins_known"));
  }

  /**
   * {@link #assertCountersBalance} on the first counters line of a pipeline process that balances
   * (the lines are snapshots: one may lag behind another counter), or on its last line.
   */
  void awaitCountersBalance(PipelineProcess pipeline, Duration timeout) throws InterruptedException {
    PipelineProcess.Sample sample;
    try {
      sample =
          pipeline.awaitCounters(
              s -> s.get("events_in") == sent
                  && s.get("logins_known") + s.get("dead_letters") == sent
                  && s.get("dead_letters") == invalid
                  && s.get("rows_emitted") > 0,
              timeout);
    } catch (IllegalStateException timedOut) {
      sample = pipeline.latest();
    }
    assertCountersBalance(sample::get);
  }

  static Set<String> deadLetteredOffsets(RealServers servers) {
    Set<String> offsets = new HashSet<>();
    for (JsonNode dl : servers.deadLetters()) {
      if (!dl.path("reason").asText().isEmpty()) {
        offsets.add(dl.path("partition").asInt() + "@" + dl.path("offset").asLong());
      }
    }
    return offsets;
  }
}
