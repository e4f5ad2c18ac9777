package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.tools.LocalSetup.SeedUser;
import io.loginenrichment.tools.LoginProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The users side input is refreshed while the pipeline runs, against a real Cassandra. */
class UsersRefreshIT {

  static byte[] login(String id, Instant at) {
    String time = at.toString().replace('T', ' ').replace("Z", "");
    return ("{\"login_id\": \"" + id + "\", \"created_time\": \"" + time + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "spark-local", "flink-local"})
  void aUserInsertedWhileRunningGetsItsLoginsAppliedAndEarlyLoginsAreNotLost(String runner) throws Exception {
    try (RealServers servers = new RealServers("refresh", runner)) {
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      servers.loadUsers(List.of(new SeedUser("500001", "Ada", Instant.EPOCH)));
      try (LoginProducer producer = servers.producer()) {
        // Sent before the pipeline starts, so it is read before the users' first load.
        producer.send("500001", login("500001", now.minusSeconds(30)));
      }
      RealServers.RunningPipeline pipeline = servers.startPipeline("--usersRefreshInterval=2s");
      RealServers.await(Duration.ofSeconds(90), () -> servers.lastLogins().get("500001"), now.minusSeconds(30));

      servers.loadUsers(List.of(new SeedUser("500002", "Grace", Instant.EPOCH)));
      long loads = pipeline.counter("users_loads");
      // Wait for two more loads: the second started after the insert, so it holds Grace.
      RealServers.await(Duration.ofSeconds(60), () -> pipeline.counter("users_loads") >= loads + 2, true);
      long lookupsBefore = pipeline.counter("user_point_lookups");
      try (LoginProducer producer = servers.producer()) {
        producer.send("500002", login("500002", now.minusSeconds(10)));
      }
      RealServers.await(Duration.ofSeconds(90), () -> servers.lastLogins().get("500002"), now.minusSeconds(10));
      assertThat(pipeline.counter("user_point_lookups"))
          .as("Grace was found in the refreshed side input, not by a point lookup")
          .isEqualTo(lookupsBefore);
      assertThat(servers.rows().get("500002").userName()).isEqualTo("Grace");
      assertThat(servers.deadLetters()).isEmpty();
    }
  }
}
