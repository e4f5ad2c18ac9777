package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.driver.core.Row;
import io.loginenrichment.testing.Fixtures;
import io.loginenrichment.tools.LocalSetup;
import io.loginenrichment.tools.LoginProducer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Replaying the topic from the earliest offset changes nothing, not even write timestamps. */
class ReplayIT {

  Map<String, String> cellsWithWriteTimes(RealServers servers) {
    Map<String, String> cells = new TreeMap<>();
    for (Row r :
        servers.session.execute(
            "SELECT login_id, last_login, WRITETIME(last_login) FROM " + servers.cassandra.qualifiedUsersTable())) {
      cells.put(r.getString(0), r.getTimestamp(1).toInstant() + "@" + r.getLong(2));
    }
    return cells;
  }

  /** Waits until no row has been emitted for {@code quiet} (longer than a window). */
  static void awaitQuiet(RealServers.RunningPipeline p, Duration quiet) throws InterruptedException {
    long last = -1;
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      long now = p.counter("rows_emitted");
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      } else if (now > 0 && System.nanoTime() - stableSince > quiet.toNanos()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the replay kept emitting rows for 2 minutes");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct"})
  void aFullReplayLeavesTheTableUnchanged(String runner) throws Exception {
    try (RealServers servers = new RealServers("replay", runner)) {
      servers.loadUsers(LocalSetup.readUsersCsv(Path.of("pipelines/login-enrichment/users.csv")));
      try (LoginProducer producer = servers.producer()) {
        for (String line : Fixtures.lines("logins.jsonl")) {
          producer.send(null, line.getBytes(StandardCharsets.UTF_8));
        }
      }
      RealServers.RunningPipeline first = servers.startPipeline();
      Instant newest100001 = Instant.parse("2020-09-20T10:00:21Z");
      RealServers.await(Duration.ofSeconds(120), () -> servers.lastLogins().get("100091"), Instant.parse("2020-09-20T10:01:30Z"));
      RealServers.await(Duration.ofSeconds(30), () -> servers.lastLogins().get("100001"), newest100001);
      first.stop();

      // A newer login applied meanwhile (as the pipeline would write it): a replay must not undo it.
      Instant newer = Instant.parse("2021-01-01T00:00:00Z");
      servers.session.execute(
          "UPDATE " + servers.cassandra.qualifiedUsersTable() + " USING TIMESTAMP ? SET last_login = ? WHERE login_id = ?",
          newer.toEpochMilli() * 1000, Date.from(newer), "100001");
      Map<String, String> before = cellsWithWriteTimes(servers);

      RealServers.RunningPipeline replay = servers.startPipeline("--consumerGroup=replay_" + servers.name, "--startingOffsets=EARLIEST");
      RealServers.await(Duration.ofSeconds(90), () -> replay.counter("logins_known"), 9L);
      awaitQuiet(replay, Duration.ofSeconds(8)); // every window of the replay has fired and written
      assertThat(cellsWithWriteTimes(servers)).isEqualTo(before);
      assertThat(servers.lastLogins().get("100001")).isEqualTo(newer);
    }
  }
}
