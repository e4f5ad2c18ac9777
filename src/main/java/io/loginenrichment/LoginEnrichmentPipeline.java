package io.loginenrichment;

import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.CassandraUsersTable;
import io.loginenrichment.cassandra.CheckCassandra;
import io.loginenrichment.cassandra.WriteLastLogin;
import io.loginenrichment.deadletter.WriteDeadLetters;
import io.loginenrichment.flink.FlinkRunnerSetup;
import io.loginenrichment.kafka.CheckKafka;
import io.loginenrichment.kafka.CommitWrittenOffsets;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.kafka.KafkaGroupCommitter;
import io.loginenrichment.kafka.ReadLoginRecords;
import io.loginenrichment.kafka.RewindCommittedOffsets;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.monitoring.CounterReport;
import io.loginenrichment.monitoring.PrometheusEndpoint;
import io.loginenrichment.monitoring.StallWatchdog;
import io.loginenrichment.options.CommitOffsets;
import io.loginenrichment.options.Durations;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.options.OptionChecks;
import io.loginenrichment.parse.LoginEventParser;
import io.loginenrichment.spark.SparkRunnerSetup;
import io.loginenrichment.transforms.LoginEnrichment;
import io.loginenrichment.users.UsersSideInput;
import io.loginenrichment.users.UsersTable;
import io.loginenrichment.util.ServerCheckException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Kafka logins -> parse -> fixed event-time windows -> join with the refreshed users side input
 * -> newest login per user per window -> idempotent {@code last_login} upsert into Cassandra;
 * everything rejected goes to the dead-letter topic with its reason.
 */
public final class LoginEnrichmentPipeline {
  private static final java.time.Duration SERVER_CHECK_TIMEOUT = java.time.Duration.ofSeconds(30);

  private LoginEnrichmentPipeline() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, LoginEnrichmentOptions.class);
      return;
    }
    LoginEnrichmentOptions options = OptionChecks.parseOrExit(args, LoginEnrichmentOptions.class);
    options.setStreaming(true);
    SparkRunnerSetup.prepare(options);
    FlinkRunnerSetup.prepare(options);
    try {
      // One clear line instead of a reader retrying forever in a worker log.
      CheckKafka.check(
          KafkaConnection.fromOptions(options),
          List.of(options.getInputTopic(), options.getDeadLetterTopic()),
          SERVER_CHECK_TIMEOUT);
      CheckCassandra.check(CassandraConnection.fromOptions(options));
      RewindCommittedOffsets.prepareGroup(options);
    } catch (ServerCheckException e) {
      System.err.println("login-enrichment cannot start: " + e.getMessage());
      System.exit(2);
    }
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    PipelineResult result = FlinkRunnerSetup.withLiveMetrics(options, pipeline.run());
    PrometheusEndpoint.serve(options, result);
    StallWatchdog.restartWhenStalled(options, result);
    CounterReport.printEvery(result, Durations.parse("countersInterval", options.getCountersInterval()), System.out);
    result.waitUntilFinish();
  }

  /** The whole graph, from options; tests build the same graph through this seam. */
  public static LoginEnrichment.Result buildPipeline(Pipeline pipeline, LoginEnrichmentOptions o) {
    KafkaConnection kafka = KafkaConnection.fromOptions(o);
    CassandraConnection cassandra = CassandraConnection.fromOptions(o);
    UsersTable usersTable = new CassandraUsersTable(cassandra);

    PCollectionView<Iterable<Instant>> users =
        pipeline.apply(
            "UsersSideInput",
            new UsersSideInput(Durations.parse("usersRefreshInterval", o.getUsersRefreshInterval()), usersTable));
    LoginEnrichment.Result result =
        pipeline
            .apply(
                "ReadLoginRecords",
                new ReadLoginRecords(
                    kafka,
                    o.getInputTopic(),
                    o.getConsumerGroup(),
                    o.getStartingOffsets(),
                    Durations.parse("maxOutOfOrderness", o.getMaxOutOfOrderness()),
                    o.getCommitOffsets()))
            .apply(
                "LoginEnrichment",
                new LoginEnrichment(
                        LoginEventParser.fromOptions(o, Clock.systemUTC()),
                        Durations.parse("windowSize", o.getWindowSize()),
                        Durations.parse("allowedLateness", o.getAllowedLateness()),
                        Durations.parse("groupingAuditGrace", o.getGroupingAuditGrace()),
                        users,
                        usersTable)
                    .withLatestLoginScope(o.getLatestLoginScope())
                    .withUsersLoadWait(Durations.parse("usersLoadWait", o.getUsersLoadWait())));
    PCollection<SourceOffsets> written =
        result
            .sourcedRows()
            .apply(
                "WriteLastLogin",
                new WriteLastLogin(
                    cassandra,
                    Durations.parse("cassandraWriteRetryTimeout", o.getCassandraWriteRetryTimeout()),
                    o.getCassandraWriter()));
    PCollection<SourceOffsets> published =
        result.deadLetters().apply("WriteDeadLetters", new WriteDeadLetters(kafka, o.getDeadLetterTopic()));
    if (o.getCommitOffsets() == CommitOffsets.AFTER_WRITE) {
      PCollectionList.of(written)
          .and(published)
          .apply("AllWritten", Flatten.pCollections())
          .apply(
              "CommitWrittenOffsets",
              new CommitWrittenOffsets(o.getInputTopic(), new KafkaGroupCommitter(kafka, o.getConsumerGroup())));
    }
    return result;
  }
}
