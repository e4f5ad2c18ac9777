package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault test: Cassandra stops for 30 s while logins keep arriving. Writes are retried with backoff,
 * the pipeline does not die, and once Cassandra is back every login is applied.
 */
class CassandraOutageFT {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct"})
  void aThirtySecondCassandraOutageLosesNothing(String runner) throws Exception {
    RealServers.assumeStartedHere("cassandra");
    try (RealServers servers = new RealServers("outage", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(100, 3_000, 1.1, 0, 0, Duration.ofSeconds(30), start, Duration.ofMinutes(10), 5));
      Map<String, Instant> expected = servers.loadUsers(logins);
      RealServers.RunningPipeline pipeline = servers.startPipeline("--cassandraWriteRetryTimeout=3m");
      Iterator<SyntheticLogins.Event> events = logins.events();
      try (LoginProducer producer = servers.producer()) {
        for (int i = 0; i < 1_000; i++) {
          RealServers.send(producer, events.next(), expected);
        }
      }
      RealServers.await(Duration.ofSeconds(90), () -> pipeline.counter("rows_emitted") > 0, true);

      RealServers.serversScript("stop", "cassandra");
      try {
        try (LoginProducer producer = servers.producer()) {
          while (events.hasNext()) {
            RealServers.send(producer, events.next(), expected);
          }
        }
        Thread.sleep(30_000);
        assertThat(pipeline.result.getState().isTerminal()).as("the pipeline survived the outage").isFalse();
      } finally {
        RealServers.serversScript("start", "cassandra"); // the next test needs it, even after a failure
      }

      RealServers.await(Duration.ofSeconds(180), servers::lastLogins, expected);
      assertThat(pipeline.counter("cassandra_write_retries")).as("writes were retried").isPositive();
      assertThat(pipeline.result.getState().isTerminal()).isFalse();
    }
  }
}
