package io.loginenrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loginenrichment.kafka.RewindCommittedOffsets;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.LastLoginUpsertMapper;
import io.loginenrichment.options.Durations;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.options.OptionChecks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class LoginEnrichmentPipelineTest {

  static LoginEnrichmentOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(LoginEnrichmentOptions.class);
  }

  @Test
  void aRestartReReadsNothingWhenCommitsFollowWritesAndTwoWindowsWhenTheyFollowReads() {
    assertThat(RewindCommittedOffsets.replaySpan(options()).getMillis()).isZero();
    assertThat(RewindCommittedOffsets.replaySpan(options("--commitOffsets=ON_READ")).getStandardSeconds()).isEqualTo(73);
    assertThat(
            RewindCommittedOffsets.replaySpan(
                    options("--commitOffsets=ON_READ", "--windowSize=1m", "--maxOutOfOrderness=5s"))
                .getStandardSeconds())
        .isEqualTo(135);
    assertThat(RewindCommittedOffsets.replaySpan(options("--replayOnStart=0s")).getMillis()).isZero();
    assertThat(RewindCommittedOffsets.replaySpan(options("--replayOnStart=10m")).getStandardMinutes()).isEqualTo(10);
  }

  @Test
  void defaultsPointAtTheLocalServers() {
    LoginEnrichmentOptions o = options();
    assertThat(o.getBootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(o.getInputTopic()).isEqualTo("logins");
    assertThat(o.getDeadLetterTopic()).isEqualTo("logins-dlq");
    assertThat(o.getCassandraHosts()).isEqualTo("127.0.0.1");
    assertThat(o.getCassandraPort()).isEqualTo(9042);
    assertThat(o.getKeyspace() + "." + o.getUsersTable()).isEqualTo("spark_db.users");
    assertThat(Durations.parse("windowSize", o.getWindowSize())).isEqualTo(Duration.standardSeconds(30));
    assertThat(Durations.parse("usersRefreshInterval", o.getUsersRefreshInterval()))
        .isEqualTo(Duration.standardSeconds(60));
    assertThat(Durations.parse("maxFutureSkew", o.getMaxFutureSkew())).isEqualTo(Duration.standardMinutes(5));
  }

  @Test
  void buildsTheFullGraphWithoutTouchingAnyServer() {
    Pipeline p = Pipeline.create(options());
    LoginEnrichmentPipeline.buildPipeline(p, options());
    List<String> names = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    assertThat(names)
        .contains(
            "UsersSideInput",
            "ReadLoginRecords",
            "LoginEnrichment/FixedEventTimeWindows",
            "LoginEnrichment/ParseLoginEvents",
            "LoginEnrichment/EnrichWithUsers",
            "LoginEnrichment/LatestLoginPerUser",
            "WriteLastLogin",
            "WriteDeadLetters");
  }

  @Test
  void helpListsEveryOptionWithoutSecrets() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      LoginEnrichmentPipeline.main(new String[] {"--help", "--cassandraPassword=hunter2"});
    } finally {
      System.setOut(old);
    }
    String help = buf.toString(StandardCharsets.UTF_8);
    assertThat(help)
        .contains("--bootstrapServers", "--inputTopic", "--windowSize", "--usersRefreshInterval")
        .contains("--deadLetterTopic", "--maxFutureSkew", "--cassandraHosts", "--keyspace")
        .doesNotContain("hunter2");
  }

  @Test
  void tableNamesMustBeIdentifiers() {
    assertThatThrownBy(() -> CassandraConnection.fromOptions(options("--usersTable=users; DROP TABLE x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid Cassandra users table name");
    assertThatThrownBy(() -> CassandraConnection.fromOptions(options("--keyspace=\"ks\"")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badOptionValuesFailFastWithTheOptionName() {
    assertThatThrownBy(() -> OptionChecks.parse(new String[] {"--windowSize=soon"}, LoginEnrichmentOptions.class))
        .hasMessageContaining("--windowSize=soon");
    assertThatThrownBy(() -> CassandraConnection.fromOptions(options("--cassandraConsistency=MOST")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KafkaConnection.fromOptions(options("--kafkaProperties=novalue")))
        .hasMessageContaining("key=value");
  }

  @Test
  void thePasswordNeverAppearsInTheConnectionDescription() {
    CassandraConnection c =
        CassandraConnection.fromOptions(options("--cassandraUsername=app", "--cassandraPassword=hunter2"));
    assertThat(c.toString()).contains("app").doesNotContain("hunter2");
    assertThat(KafkaConnection.fromOptions(options("--kafkaProperties=sasl.jaas.config=secret-stuff")).toString())
        .doesNotContain("secret-stuff");
  }

  @Test
  void cassandraIoCannotCommitAfterWrites() {
    assertThatThrownBy(() -> OptionChecks.parse(new String[] {"--cassandraWriter=CASSANDRA_IO"}, LoginEnrichmentOptions.class))
        .hasMessageContaining("--commitOffsets=ON_READ");
    LoginEnrichmentPipeline.buildPipeline(
        Pipeline.create(options()),
        OptionChecks.parse(new String[] {"--cassandraWriter=CASSANDRA_IO", "--commitOffsets=ON_READ"}, LoginEnrichmentOptions.class));
  }

  @Test
  void kafkaCredentialsBecomeASaslLoginWithTheSecretQuoted() {
    KafkaConnection k =
        KafkaConnection.fromOptions(options("--kafkaUsername=app", "--kafkaPassword=pa\"ss\\word"));
    assertThat(k.properties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\"pa\\\"ss\\\\word\";");
    assertThat(k.saslUser()).isEqualTo("app");
    assertThat(k.toString()).doesNotContain("pa\"ss");

    io.loginenrichment.kafka.KafkaConnection scram =
        KafkaConnection.fromOptions(
            options(
                "--kafkaUsername=app", "--kafkaPassword=x", "--kafkaSaslMechanism=SCRAM-SHA-512",
                "--kafkaProperties=security.protocol=SASL_SSL"));
    assertThat(scram.properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(scram.properties().get("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.scram.ScramLoginModule");

    assertThatThrownBy(() -> KafkaConnection.fromOptions(options("--kafkaUsername=app", "--kafkaPassword=x", "--kafkaSaslMechanism=GSSAPI")))
        .hasMessageContaining("unsupported Kafka SASL mechanism 'GSSAPI'");
    assertThatThrownBy(() -> KafkaConnection.fromOptions(options("--kafkaUsername=app")))
        .hasMessageContaining("together");
  }

  @Test
  void passwordsAreNotSerializedWithTheOptions() throws Exception {
    LoginEnrichmentOptions o = options("--cassandraPassword=hunter2", "--kafkaPassword=swordfish", "--kafkaUsername=app");
    assertThat(o.getCassandraPassword()).isEqualTo("hunter2");
    assertThat(o.getKafkaPassword()).isEqualTo("swordfish");
    // What runners ship to workers and show in their UIs.
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
    assertThat(json).contains("\"kafkaUsername\"").doesNotContain("hunter2").doesNotContain("swordfish");
  }

  @Test
  void upsertsCarryTheEventTimeAsWriteTimestamp() {
    assertThat(LastLoginUpsertMapper.upsertCql("spark_db.users"))
        .isEqualTo("UPDATE spark_db.users USING TIMESTAMP ? SET last_login = ? WHERE login_id = ?");
    assertThat(
            LastLoginUpsertMapper.writeTimestampMicros(
                new io.loginenrichment.model.LastLogin("1", "a", org.joda.time.Instant.parse("2020-09-20T10:00:07Z"))))
        .isEqualTo(1600596007000000L);
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Durations.parse("x", "250ms")).isEqualTo(Duration.millis(250));
    assertThat(Durations.parse("x", "2m")).isEqualTo(Duration.standardMinutes(2));
    assertThat(Durations.parse("x", "45")).isEqualTo(Duration.standardSeconds(45));
    assertThat(Durations.parse("x", "PT1H")).isEqualTo(Duration.standardHours(1));
  }
}
