package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault test in the spirit of Kafka Streams' EOS system test: the pipeline runs as its own JVM and
 * is killed with {@code kill -9} three times, each time right after it has read a burst of logins
 * (so windows are in flight and the next run re-reads them), then restarted with the same
 * consumer group. Only the group carries progress from run to run (no rewind on start). Afterwards a verifier
 * accounts for every record: the table holds exactly the newest valid login of every user, and
 * every invalid record (malformed or unknown user) is in the dead-letter topic, by its offset.
 */
class KillNineFT {
  private static final int BURSTS = 4;
  private static final int PER_BURST = 1_500;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "spark-local", "flink-local"})
  void threeKillsLoseNothing(String runner) throws Exception {
    try (RealServers servers = new RealServers("kill9", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  150, BURSTS * PER_BURST, 1.1, 0.05, 0.05, Duration.ofSeconds(20), start, Duration.ofMinutes(10), 9));
      SentLogins sent = new SentLogins(servers.loadUsers(logins));
      Iterator<SyntheticLogins.Event> events = logins.events();
      for (int burst = 0; burst < BURSTS; burst++) {
        try (LoginProducer producer = servers.producer()) {
          for (int i = 0; i < PER_BURST; i++) {
            sent.send(producer, events.next());
          }
        }
        PipelineProcess pipeline = servers.startPipelineProcess();
        if (burst < BURSTS - 1) {
          // Killed as soon as this run has counted the burst: its windows are still open.
          pipeline.awaitCounters(s -> s.get("events_in") >= PER_BURST, Duration.ofMinutes(3));
          pipeline.kill();
          assertThat(pipeline.isAlive()).isFalse();
        }
      }

      assertThat(sent.sent()).isEqualTo((long) BURSTS * PER_BURST);
      sent.awaitAllApplied(servers, Duration.ofMinutes(3));
      // Offsets are committed once what they cover is written: all of them, in the end.
      RealServers.await(Duration.ofSeconds(60), () -> servers.committedOffsetsOrFail(), servers.endOffsets());
    }
  }
}
