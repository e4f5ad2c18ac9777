package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stopping the pipeline mid-stream and starting it again with the same group loses nothing. */
class RestartIT {

  @ParameterizedTest(name = "{0}")
  // Not on the DirectRunner: it keeps windows in memory only, and KafkaIO commits offsets when
  // records are read, so what was read but not yet written before a stop is lost there (this test
  // showed it). The SparkRunner restores reads and windows from its checkpoint directory.
  @ValueSource(strings = {"spark-local"})
  void aRestartWithTheSameConsumerGroupLosesNoLogin(String runner) throws Exception {
    try (RealServers servers = new RealServers("restart", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(200, 4_000, 1.1, 0, 0, Duration.ofMinutes(1), start, Duration.ofMinutes(30), 11));
      Map<String, Instant> expected = servers.loadUsers(logins);

      // Newest first: the logins that decide the final table are the ones read before the stop,
      // so a restart that lost what the first run had read but not yet written would show.
      List<SyntheticLogins.Event> all = new ArrayList<>();
      logins.events().forEachRemaining(all::add);
      Collections.reverse(all);
      Iterator<SyntheticLogins.Event> events = all.iterator();
      RealServers.RunningPipeline first = servers.startPipeline();
      try (LoginProducer producer = servers.producer()) {
        for (int i = 0; i < 2_000; i++) {
          RealServers.send(producer, events.next(), expected);
        }
      }
      RealServers.await(Duration.ofSeconds(90), () -> first.counter("events_in") >= 2_000, true);
      first.stop();
      assertThat(servers.committedOffsets()).as("offsets committed to the consumer group").isPositive();

      try (LoginProducer producer = servers.producer()) {
        while (events.hasNext()) {
          RealServers.send(producer, events.next(), expected);
        }
      }
      servers.startPipeline();
      RealServers.await(Duration.ofSeconds(180), servers::lastLogins, expected);
    }
  }
}
