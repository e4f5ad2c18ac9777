package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
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
  @ValueSource(strings = {"direct", "spark-local"})
  void threeKillsLoseNothing(String runner) throws Exception {
    try (RealServers servers = new RealServers("kill9", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  150, BURSTS * PER_BURST, 1.1, 0.05, 0.05, Duration.ofSeconds(20), start, Duration.ofMinutes(10), 9));
      Map<String, Instant> expected = servers.loadUsers(logins);
      Iterator<SyntheticLogins.Event> events = logins.events();
      long invalid = 0;
      long sent = 0;
      for (int burst = 0; burst < BURSTS; burst++) {
        try (LoginProducer producer = servers.producer()) {
          for (int i = 0; i < PER_BURST; i++) {
            SyntheticLogins.Event e = events.next();
            RealServers.send(producer, e, expected);
            invalid += e.kind() == SyntheticLogins.Kind.VALID ? 0 : 1;
            sent++;
          }
        }
        PipelineProcess pipeline = servers.startPipelineProcess();
        if (burst < BURSTS - 1) {
          // Killed as soon as this run has counted the burst: its windows are still open.
          long target = PER_BURST;
          pipeline.awaitCounters(s -> s.get("events_in") >= target, Duration.ofMinutes(3));
          pipeline.kill();
          assertThat(pipeline.isAlive()).isFalse();
        } else {
          RealServers.await(Duration.ofMinutes(3), servers::lastLogins, expected);
        }
      }

      assertThat(sent).isEqualTo((long) BURSTS * PER_BURST);
      // Every invalid record is in the dead-letter topic with a reason (at least once: a replay
      // after a kill may publish one twice, with the same source offset).
      RealServers.await(Duration.ofSeconds(60), () -> deadLetteredOffsets(servers).size(), (int) invalid);
      assertThat(servers.lastLogins()).isEqualTo(expected);
      // Offsets are committed once what they cover is written: all of them, in the end.
      long end = servers.endOffsets();
      RealServers.await(Duration.ofSeconds(30), () -> committed(servers), end);
    }
  }

  private static long committed(RealServers servers) {
    try {
      return servers.committedOffsets();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> deadLetteredOffsets(RealServers servers) {
    Set<String> offsets = new HashSet<>();
    for (JsonNode dl : servers.deadLetters()) {
      if (!dl.path("reason").asText().isEmpty()) {
        offsets.add(dl.path("partition").asInt() + "@" + dl.path("offset").asLong());
      }
    }
    return offsets;
  }
}
