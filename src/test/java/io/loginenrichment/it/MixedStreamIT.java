package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.testing.Fixtures;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.SyntheticLogins;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of generated logins with duplicates, out-of-order times, unknown ids and every
 * malformed record of the corpus: each user ends with its newest valid login, and every event is
 * accounted for.
 */
class MixedStreamIT {

  @ParameterizedTest(name = "{0}")
  // On the engines a deployment runs, embedded. Not on spark-standalone: the cluster's executors
  // are proven by OriginalExampleIT, OldSkewedBacklogFT and SparkWorkerKillFT. Not on the
  // DirectRunner (the runner of the unit tests, where LoginEnrichmentTest feeds it the same
  // corpus): its run here was the slowest, ~80 s of CI.
  @ValueSource(strings = {"spark-local", "flink-local"})
  void everyUserEndsWithItsNewestValidLoginAndEveryEventIsAccountedFor(String runner) throws Exception {
    try (RealServers servers = new RealServers("mixed", runner)) {
      Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(300, 5_000, 1.1, 0.02, 0.02, Duration.ofMinutes(2), start, Duration.ofHours(1), 7));
      Map<String, Instant> expected = servers.loadUsers(logins);

      RealServers.RunningPipeline pipeline = servers.startPipeline();
      long sent = 0;
      long invalid = 0;
      try (LoginProducer producer = servers.producer()) {
        Iterator<SyntheticLogins.Event> events = logins.events();
        while (events.hasNext()) {
          SyntheticLogins.Event e = events.next();
          producer.send(e.key(), e.value());
          sent++;
          invalid += SentLogins.expect(expected, e) ? 0 : 1;
        }
        List<byte[]> bad = new ArrayList<>();
        Fixtures.badEvents().forEach(l -> bad.add(l.getBytes(StandardCharsets.UTF_8)));
        bad.addAll(Fixtures.unprintableBadValues());
        for (byte[] value : bad) {
          producer.send(null, value);
          sent++;
          invalid++;
        }
      }
      long expectedDeadLetters = invalid;

      RealServers.await(Duration.ofSeconds(180), servers::lastLogins, expected);
      RealServers.await(Duration.ofSeconds(60), () -> (long) servers.deadLetters().size(), expectedDeadLetters);
      RealServers.await(Duration.ofSeconds(30), () -> pipeline.counter("events_in"), sent);

      List<JsonNode> deadLetters = servers.deadLetters();
      Map<String, Long> byReason =
          deadLetters.stream().collect(Collectors.groupingBy(d -> d.path("reason").asText(), Collectors.counting()));
      assertThat(byReason).containsKeys("unknown_user", "invalid_json", "missing_field", "bad_timestamp", "future_timestamp", "too_large", "empty_value", "invalid_encoding");
      long valid = pipeline.counter("events_valid");
      long parseDeadLetters = deadLetters.size() - byReason.get("unknown_user");
      assertThat(valid + parseDeadLetters).as("events in = valid + rejected by the parser").isEqualTo(sent);
      assertThat(pipeline.counter("logins_known") + byReason.get("unknown_user"))
          .as("valid = known + unknown")
          .isEqualTo(valid);
      assertThat(pipeline.counter("rows_emitted")).as("merged logins are not written").isLessThan(pipeline.counter("logins_known"));
      Map<String, Long> seen = new HashMap<>();
      deadLetters.forEach(d -> seen.merge(d.path("topic").asText() + "-" + d.path("partition").asText() + "@" + d.path("offset").asText(), 1L, Long::sum));
      assertThat(seen.values()).as("one dead letter per record").allMatch(n -> n == 1);
    }
  }
}
