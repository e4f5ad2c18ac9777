package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline, as its own JVM, given a Cassandra password and a Kafka JAAS password, processes
 * good and bad logins; neither secret may appear in its log, its stdout or the dead letters.
 */
class SecretsInLogsIT {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct"})
  void credentialsNeverReachLogsOutputOrDeadLetters(String runner) throws Exception {
    String cassandraSecret = "cass-" + UUID.randomUUID();
    String kafkaSecret = "kafka-" + UUID.randomUUID();
    try (RealServers servers = new RealServers("secrets", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(20, 300, 1.1, 0.1, 0.1, Duration.ofSeconds(10), start, Duration.ofMinutes(5), 3));
      Map<String, Instant> expected = servers.loadUsers(logins);
      // The local servers do not authenticate: the credentials are accepted and unused, which is
      // enough to see whether anything prints them.
      PipelineProcess pipeline =
          servers.startPipelineProcess(
              "--cassandraUsername=pipeline",
              "--cassandraPassword=" + cassandraSecret,
              "--kafkaProperties=sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                  + " required username=\"pipeline\" password=\"" + kafkaSecret + "\";");
      try (LoginProducer producer = servers.producer()) {
        for (Iterator<SyntheticLogins.Event> it = logins.events(); it.hasNext(); ) {
          RealServers.send(producer, it.next(), expected);
        }
      }
      RealServers.await(Duration.ofMinutes(3), servers::lastLogins, expected);
      pipeline.kill();

      String log = Files.readString(pipeline.log());
      assertThat(log).as("the log we read is the pipeline's").contains("Loaded 20 users");
      assertThat(log).doesNotContain(cassandraSecret).doesNotContain(kafkaSecret);
      assertThat(String.join("\n", pipeline.otherOutput())).doesNotContain(cassandraSecret).doesNotContain(kafkaSecret);
      assertThat(servers.deadLetters()).isNotEmpty();
      for (JsonNode deadLetter : servers.deadLetters()) {
        assertThat(deadLetter.toString()).doesNotContain(cassandraSecret).doesNotContain(kafkaSecret);
      }
    }
  }
}
