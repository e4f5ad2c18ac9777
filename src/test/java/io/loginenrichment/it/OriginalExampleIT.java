package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.testing.Fixtures;
import io.loginenrichment.tools.LocalSetup;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.UserRows.UserRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The original project's example, end to end on real Kafka and Cassandra. */
class OriginalExampleIT {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "spark-local", "spark-standalone", "flink-local", "flink-cluster"})
  void theSampleLoginsGiveExactlyTheExpectedTable(String runner) throws Exception {
    try (RealServers servers = new RealServers("original", runner)) {
      servers.loadUsers(LocalSetup.readUsersCsv(Path.of("pipelines/login-enrichment/users.csv")));
      RealServers.RunningPipeline pipeline = servers.startPipeline();
      try (LoginProducer producer = servers.producer()) {
        for (String line : Fixtures.lines("logins.jsonl")) {
          producer.send(null, line.getBytes(StandardCharsets.UTF_8));
        }
      }
      List<String> expected = Fixtures.lines("logins.expected.csv").stream().skip(1).sorted().toList();

      RealServers.await(
          Duration.ofSeconds(120),
          () -> servers.rows().values().stream().map(UserRow::toCsv).sorted().toList(),
          expected);
      RealServers.await(Duration.ofSeconds(30), () -> servers.deadLetters().size(), 1);
      JsonNode deadLetter = servers.deadLetters().get(0);
      assertThat(deadLetter.path("reason").asText()).isEqualTo("unknown_user");
      assertThat(deadLetter.path("payload").asText()).contains("999999");
      assertThat(deadLetter.path("topic").asText()).isEqualTo(servers.inputTopic);
      if (!runner.equals("flink-cluster")) {
        // On a remote Flink cluster Beam's metrics stay on the cluster (its web UI and REST API):
        // a detached job's result reports none to the launcher.
        assertThat(pipeline.counter("events_in")).isEqualTo(10);
      }
      if (runner.equals("spark-standalone")) {
        assertThat(json("http://127.0.0.1:8080/json/").path("activeapps"))
            .as("the master lists the running pipeline")
            .isNotEmpty();
      }
      if (runner.equals("flink-cluster")) {
        assertThat(json("http://127.0.0.1:8091/jobs/overview").findValuesAsText("state"))
            .as("the JobManager runs the pipeline")
            .contains("RUNNING");
      }
    }
  }

  /** A cluster manager's REST answer. */
  private static com.fasterxml.jackson.databind.JsonNode json(String url) throws Exception {
    String body =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
  }
}
