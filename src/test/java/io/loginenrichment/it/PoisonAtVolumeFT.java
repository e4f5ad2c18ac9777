package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.testing.Fixtures;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 100,000 logins of which 10% are poison (5% malformed, 5% unknown users), with the hostile
 * corpus (multi-megabyte, deeply nested, non-UTF-8...) sprinkled through, sent while the
 * pipeline runs: the table ends exact, every poison record is a dead letter with its reason, and
 * the counters balance, with no restart and no login lost inside the runner. The rate and peak memory are printed, not asserted (benchmarks judge
 * speed).
 */
class PoisonAtVolumeFT {
  private static final int EVENTS = 100_000;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spark-local"})
  void tenPercentPoisonInAHundredThousandIsAccountedFor(String runner) throws Exception {
    try (RealServers servers = new RealServers("poison", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  5_000, EVENTS, 1.1, 0.05, 0.05, Duration.ofSeconds(20), start, Duration.ofMinutes(10), 13));
      SentLogins sent = new SentLogins(servers.loadUsers(logins));
      List<byte[]> hostile = new ArrayList<>();
      Fixtures.badEvents().forEach(l -> hostile.add(l.getBytes(StandardCharsets.UTF_8)));
      hostile.addAll(Fixtures.unprintableBadValues());

      PipelineProcess pipeline = servers.startPipelineProcess();
      pipeline.awaitCounters(s -> s.get("users_loads") > 0, Duration.ofMinutes(2));
      long t0 = System.nanoTime();
      try (LoginProducer producer = servers.producer()) {
        Iterator<SyntheticLogins.Event> events = logins.events();
        for (int i = 0; events.hasNext(); i++) {
          sent.send(producer, events.next());
          if (i % (EVENTS / hostile.size()) == 0 && i / (EVENTS / hostile.size()) < hostile.size()) {
            sent.sendInvalid(producer, hostile.get(i / (EVENTS / hostile.size())));
          }
        }
      }
      PipelineProcess.Sample done =
          pipeline.awaitCounters(s -> s.get("events_in") >= sent.sent(), Duration.ofMinutes(5));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "PoisonAtVolumeFT %s: %,d events (%,d poison) counted in %.1f s after the first send: %,.0f ev/s, peak RSS %,d MB%n",
          runner, sent.sent(), sent.invalid(), seconds, sent.sent() / seconds, pipeline.peakRssBytes() >> 20);

      sent.awaitAllApplied(servers, Duration.ofMinutes(2));
      System.out.printf(
          "PoisonAtVolumeFT %s: table exact %.1f s after the first send, without a restart%n",
          runner, (System.nanoTime() - t0) / 1e9);
      sent.awaitCountersBalance(pipeline, Duration.ofSeconds(60));
      RealServers.await(Duration.ofSeconds(60), () -> servers.committedOffsetsOrFail(), servers.endOffsets());
      Map<String, Long> byReason =
          servers.deadLetters().stream()
              .collect(Collectors.groupingBy(d -> d.path("reason").asText(), Collectors.counting()));
      assertThat(byReason).containsKeys("unknown_user", "invalid_json", "missing_field", "bad_timestamp", "too_large", "invalid_encoding");
      for (JsonNode dl : servers.deadLetters()) {
        assertThat(dl.path("reason").asText()).as("every dead letter has a reason").isNotEmpty();
      }
    }
  }
}
