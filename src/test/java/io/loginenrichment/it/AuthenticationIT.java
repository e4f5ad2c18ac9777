package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline against servers that authenticate: Kafka's SASL/PLAIN listener and a Cassandra node
 * of its own with PasswordAuthenticator and CassandraAuthorizer (started here, as a separate
 * process, on port 9142). With the right credentials (given as environment variables) it enriches
 * as usual; with wrong ones, or a role without grants, it stops at once with a message that says
 * what is wrong. No secret ever appears in its log, its stdout or the dead letters.
 */
class AuthenticationIT {
  private static final int CASSANDRA_PORT = 9142;
  private static final String KAFKA_SASL = "127.0.0.1:9094";
  private static final String KAFKA_USER = System.getenv().getOrDefault("KAFKA_SASL_USER", "enrichment");
  private static final String KAFKA_PASSWORD = System.getenv().getOrDefault("KAFKA_SASL_PASSWORD", "local-sasl-password");
  private static final Path DATA = Path.of("target", "auth-cassandra");
  private static final Path SESSION = DATA.resolve("servers.session");

  private static String role;
  private static String rolePassword;

  @BeforeAll
  static void startCassandraWithAuthentication() throws Exception {
    assertThat(RealServers.portOpen(9094))
        .as("Kafka's SASL listener on 9094 (restart Kafka with servers.sh if it predates it)")
        .isTrue();
    Files.createDirectories(DATA);
    RealServers.serversScript(
        Map.of(
            "DATA_DIR", DATA.toAbsolutePath().toString(),
            "CASSANDRA_PORT", String.valueOf(CASSANDRA_PORT),
            "CASSANDRA_STORAGE_PORT", "7100",
            "CASSANDRA_AUTH", "password",
            "CASSANDRA_HEAP", "512m"),
        "start", "cassandra", "--session", SESSION.toAbsolutePath().toString());
    awaitSuperuser();
  }

  /** The node answers before it has created its default superuser: wait until that can log in. */
  private static void awaitSuperuser() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try (com.datastax.driver.core.Cluster cluster =
              com.datastax.driver.core.Cluster.builder()
                  .addContactPoint("127.0.0.1")
                  .withPort(CASSANDRA_PORT)
                  .withoutJMXReporting()
                  .withCredentials("cassandra", "cassandra")
                  .build();
          com.datastax.driver.core.Session session = cluster.connect()) {
        session.execute("SELECT role FROM system_auth.roles LIMIT 1");
        return;
      } catch (RuntimeException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(1_000);
      }
    }
  }

  @AfterAll
  static void stopCassandraWithAuthentication() throws Exception {
    RealServers.serversScript(
        Map.of("DATA_DIR", DATA.toAbsolutePath().toString(), "CASSANDRA_PORT", String.valueOf(CASSANDRA_PORT)),
        "stop", "--session", SESSION.toAbsolutePath().toString());
  }

  /** The scenario's servers, set up by the superuser; the pipeline then logs in as its own role. */
  private static RealServers servers() throws Exception {
    RealServers servers =
        new RealServers(
            "auth",
            "direct",
            List.of("--cassandraPort=" + CASSANDRA_PORT, "--cassandraUsername=cassandra", "--cassandraPassword=cassandra"));
    role = "enrichment_" + UUID.randomUUID().toString().substring(0, 8);
    rolePassword = "pw-" + UUID.randomUUID();
    servers.session.execute("CREATE ROLE IF NOT EXISTS " + role + " WITH PASSWORD = '" + rolePassword + "' AND LOGIN = true");
    return servers;
  }

  private static void grant(RealServers servers) {
    String table = servers.cassandra.qualifiedUsersTable();
    servers.session.execute("GRANT SELECT ON TABLE " + table + " TO " + role);
    servers.session.execute("GRANT MODIFY ON TABLE " + table + " TO " + role);
  }

  private static Map<String, String> credentials(String kafkaPassword, String cassandraPassword) {
    return Map.of(
        "KAFKA_USERNAME", KAFKA_USER,
        "KAFKA_PASSWORD", kafkaPassword,
        "CASSANDRA_USERNAME", role,
        "CASSANDRA_PASSWORD", cassandraPassword);
  }

  /** Starts the pipeline (direct, own JVM) against the authenticating servers. */
  private static PipelineProcess start(RealServers servers, Map<String, String> env, String... extra) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("--bootstrapServers=" + KAFKA_SASL, "--cassandraUsername=", "--cassandraPassword="));
    args.addAll(List.of(extra));
    return servers.startPipelineProcess(env, args.toArray(String[]::new));
  }

  private static String failsFastWith(PipelineProcess pipeline, String... secrets) throws Exception {
    OptionalInt code = pipeline.awaitExit(Duration.ofSeconds(90));
    assertThat(code).as("the pipeline stopped by itself").isPresent();
    assertThat(code.getAsInt()).as("exit code").isEqualTo(2);
    String log = Files.readString(pipeline.log());
    for (String secret : secrets) {
      assertThat(log).doesNotContain(secret);
    }
    return log;
  }

  @Test
  void wrongKafkaPasswordFailsFastWithAClearError() throws Exception {
    try (RealServers servers = servers()) {
      grant(servers);
      String wrong = "wrong-" + UUID.randomUUID();
      String log = failsFastWith(start(servers, credentials(wrong, rolePassword)), wrong, rolePassword);
      assertThat(log)
          .contains("login-enrichment cannot start: Kafka at " + KAFKA_SASL + " rejected the credentials as user '" + KAFKA_USER + "'");
    }
  }

  @Test
  void wrongCassandraPasswordFailsFastWithAClearError() throws Exception {
    try (RealServers servers = servers()) {
      grant(servers);
      String wrong = "wrong-" + UUID.randomUUID();
      // On the command line this time: the option must be as discreet as the environment.
      String log =
          failsFastWith(
              start(servers, credentials(KAFKA_PASSWORD, "unused"), "--cassandraPassword=" + wrong, "--cassandraUsername=" + role),
              wrong,
              KAFKA_PASSWORD);
      assertThat(log)
          .contains("login-enrichment cannot start: Cassandra at [127.0.0.1]:" + CASSANDRA_PORT + " rejected the credentials of user '" + role + "'");
    }
  }

  @Test
  void aRoleWithoutGrantsFailsFastWithAClearError() throws Exception {
    try (RealServers servers = servers()) {
      String log = failsFastWith(start(servers, credentials(KAFKA_PASSWORD, rolePassword)), rolePassword, KAFKA_PASSWORD);
      assertThat(log).contains("user '" + role + "' may not read " + servers.cassandra.qualifiedUsersTable());
    }
  }

  @Test
  void withCredentialsFromTheEnvironmentEveryLoginIsAppliedAndNoSecretIsPrinted() throws Exception {
    try (RealServers servers = servers()) {
      grant(servers);
      Instant start = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(20, 300, 1.1, 0.1, 0.1, Duration.ofSeconds(10), start, Duration.ofMinutes(5), 3));
      SentLogins sent = new SentLogins(servers.loadUsers(logins));
      PipelineProcess pipeline = start(servers, credentials(KAFKA_PASSWORD, rolePassword));
      try (LoginProducer producer = servers.producer()) {
        for (Iterator<SyntheticLogins.Event> it = logins.events(); it.hasNext(); ) {
          sent.send(producer, it.next());
        }
      }
      sent.awaitAllApplied(servers, Duration.ofMinutes(3));
      sent.awaitCountersBalance(pipeline, Duration.ofSeconds(60));
      pipeline.kill();

      String log = Files.readString(pipeline.log());
      assertThat(log).as("the log we read is the pipeline's").contains("Loaded 20 users");
      assertThat(log).doesNotContain(rolePassword).doesNotContain(KAFKA_PASSWORD);
      assertThat(String.join("\n", pipeline.otherOutput())).doesNotContain(rolePassword).doesNotContain(KAFKA_PASSWORD);
      List<JsonNode> deadLetters = servers.deadLetters();
      assertThat(deadLetters).isNotEmpty();
      for (JsonNode deadLetter : deadLetters) {
        assertThat(deadLetter.toString()).doesNotContain(rolePassword).doesNotContain(KAFKA_PASSWORD);
      }
    }
  }
}
