package io.loginenrichment;

import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.CassandraUsersTable;
import io.loginenrichment.cassandra.CheckCassandra;
import io.loginenrichment.cassandra.WriteLastLogin;
import io.loginenrichment.deadletter.WriteDeadLetters;
import io.loginenrichment.kafka.CheckKafka;
import io.loginenrichment.kafka.CommitWrittenOffsets;
import io.loginenrichment.kafka.KafkaGroupCommitter;
import io.loginenrichment.model.SourceOffsets;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.kafka.ReadLoginRecords;
import io.loginenrichment.kafka.RewindCommittedOffsets;
import io.loginenrichment.kafka.ConsumerLag;
import io.loginenrichment.monitoring.CounterReport;
import io.loginenrichment.monitoring.PrometheusEndpoint;
import io.loginenrichment.monitoring.StallWatchdog;
import io.loginenrichment.options.OptionChecks;
import io.loginenrichment.options.CassandraOptions;
import io.loginenrichment.options.Durations;
import io.loginenrichment.options.KafkaOptions;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.spark.SparkRunnerSetup;
import io.loginenrichment.transforms.LoginEnrichment;
import io.loginenrichment.transforms.LoginEventParser;
import io.loginenrichment.users.UsersSideInput;
import io.loginenrichment.users.UsersTable;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka logins -> parse -> fixed event-time windows -> join with the refreshed users side input
 * -> newest login per user per window -> idempotent {@code last_login} upsert into Cassandra;
 * everything rejected goes to the dead-letter topic with its reason.
 */
public final class LoginEnrichmentPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(LoginEnrichmentPipeline.class);
  private LoginEnrichmentPipeline() {}

  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, LoginEnrichmentOptions.class);
      return;
    }
    LoginEnrichmentOptions options = parseOrExit(args, LoginEnrichmentOptions.class);
    options.setStreaming(true);
    SparkRunnerSetup.prepare(options);
    try {
      checkServers(options);
      prepareGroup(options);
    } catch (ServerCheckException e) {
      // One clear line instead of a reader retrying forever in a worker log.
      System.err.println("login-enrichment cannot start: " + e.getMessage());
      System.exit(2);
    }
    Pipeline pipeline = Pipeline.create(options);
    buildPipeline(pipeline, options);
    PipelineResult result = pipeline.run();
    serveMetrics(options, result);
    restartWhenStalled(options, result);
    Duration countersInterval = Durations.parse("countersInterval", options.getCountersInterval());
    if (countersInterval.isLongerThan(Duration.ZERO)) {
      CounterReport.printEvery(result, countersInterval, System.out);
    }
    result.waitUntilFinish();
  }

  /**
   * The options from {@code args}, every value checked ({@link OptionChecks}); a bad one ends the
   * process with one line on stderr and exit code 2, never a stack trace.
   */
  public static <T extends LoginEnrichmentOptions> T parseOrExit(String[] args, Class<T> type) {
    try {
      return parse(args, type);
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid options");
      System.err.println("login-enrichment: " + message + " (--help lists the options)");
      System.exit(2);
      throw e;
    }
  }

  /** As {@link #parseOrExit}, throwing instead: a {@link OptionChecks.BadOption} or Beam's own error. */
  public static <T extends LoginEnrichmentOptions> T parse(String[] args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    T options =
        PipelineOptionsFactory.fromArgs(OptionChecks.normalizeEnums(args, type)).withValidation().as(type);
    OptionChecks.validate(options);
    return options;
  }

  /** The Prometheus endpoint, if asked for; a port in use is reported and the pipeline runs on. */
  public static void serveMetrics(LoginEnrichmentOptions o, PipelineResult result) {
    if (o.getMetricsPort() <= 0) {
      return;
    }
    try {
      PrometheusEndpoint.start(
          o.getMetricsPort(), result, new ConsumerLag(kafka(o), o.getInputTopic(), o.getConsumerGroup()));
    } catch (IOException | RuntimeException e) {
      LOG.error("No metrics endpoint on port {}: {}", o.getMetricsPort(), e.toString());
    }
  }

  /** The {@link StallWatchdog}, unless {@code --stallTimeout=0s}. */
  static void restartWhenStalled(LoginEnrichmentOptions o, PipelineResult result) {
    Duration timeout = Durations.parse("stallTimeout", o.getStallTimeout());
    if (timeout.isEqual(Duration.ZERO) || o.getCommitOffsets() != ReadLoginRecords.CommitOffsets.AFTER_WRITE) {
      return;
    }
    Duration every = timeout.isShorterThan(Duration.standardSeconds(60)) ? Duration.standardSeconds(5) : Duration.standardSeconds(15);
    StallWatchdog.watch(
        new ConsumerLag(kafka(o), o.getInputTopic(), o.getConsumerGroup()),
        timeout,
        every,
        () -> {
          try {
            result.cancel();
          } catch (IOException | RuntimeException e) {
            LOG.warn("Cancelling the stalled pipeline failed: {}", e.toString());
          }
          Runtime.getRuntime().halt(StallWatchdog.EXIT_STALLED);
        });
  }

  /** The whole graph, from options; tests build the same graph through this seam. */
  public static LoginEnrichment.Result buildPipeline(Pipeline pipeline, LoginEnrichmentOptions o) {
    if (o.getCommitOffsets() == ReadLoginRecords.CommitOffsets.AFTER_WRITE
        && o.getCassandraWriter() == WriteLastLogin.Writer.CASSANDRA_IO) {
      throw new IllegalArgumentException(
          "--cassandraWriter=CASSANDRA_IO reports no writes, so offsets cannot be committed after them:"
              + " add --commitOffsets=ON_READ");
    }
    LoginEventParser parser = parser(o, Clock.systemUTC());
    KafkaConnection kafka = kafka(o);
    CassandraConnection cassandra = cassandra(o);
    UsersTable usersTable = new CassandraUsersTable(cassandra);

    PCollectionView<Iterable<Instant>> users =
        pipeline.apply(
            "UsersSideInput",
            new UsersSideInput(
                Durations.parse("usersRefreshInterval", o.getUsersRefreshInterval()), usersTable));
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
                    parser,
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
    if (o.getCommitOffsets() == ReadLoginRecords.CommitOffsets.AFTER_WRITE) {
      PCollectionList.of(written)
          .and(published)
          .apply("AllWritten", Flatten.pCollections())
          .apply("CommitWrittenOffsets", new CommitWrittenOffsets(o.getInputTopic(), new KafkaGroupCommitter(kafka, o.getConsumerGroup())));
    }
    return result;
  }

  /** Fails fast, with a message that says what to fix, if a server or its credentials are wrong. */
  public static void checkServers(LoginEnrichmentOptions o) {
    CheckKafka.check(kafka(o), List.of(o.getInputTopic(), o.getDeadLetterTopic()), SERVER_CHECK_TIMEOUT);
    CheckCassandra.check(cassandra(o));
  }

  private static final java.time.Duration SERVER_CHECK_TIMEOUT = java.time.Duration.ofSeconds(30);

  /**
   * Before reading: a group without offsets gets its starting ones (so commits after writes have a
   * base), then the group is rewound by {@code --replayOnStart} so a restart re-reads what the
   * last run had read but maybe not yet written (see {@link RewindCommittedOffsets}).
   */
  public static void prepareGroup(LoginEnrichmentOptions o) {
    Duration span = replaySpan(o);
    try {
      RewindCommittedOffsets.commitStartingOffsets(kafka(o), o.getInputTopic(), o.getConsumerGroup(), o.getStartingOffsets());
      if (span.isLongerThan(Duration.ZERO)) {
        RewindCommittedOffsets.rewind(
            kafka(o), o.getInputTopic(), o.getConsumerGroup(), java.time.Duration.ofMillis(span.getMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the consumer group", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "cannot prepare consumer group " + o.getConsumerGroup() + " on " + o.getBootstrapServers(), e.getCause());
    }
  }

  static Duration replaySpan(LoginEnrichmentOptions o) {
    if ("auto".equals(o.getReplayOnStart())) {
      if (o.getCommitOffsets() == ReadLoginRecords.CommitOffsets.AFTER_WRITE) {
        return Duration.ZERO; // the group never runs ahead of the writes
      }
      return Durations.parse("windowSize", o.getWindowSize())
          .multipliedBy(2)
          .plus(Durations.parse("maxOutOfOrderness", o.getMaxOutOfOrderness()))
          .plus(Durations.parse("allowedLateness", o.getAllowedLateness()));
    }
    return Durations.parse("replayOnStart", o.getReplayOnStart());
  }

  public static LoginEventParser parser(LoginEnrichmentOptions o, Clock clock) {
    if (o.getMaxEventBytes() <= 0) {
      throw new IllegalArgumentException("--maxEventBytes must be positive");
    }
    Duration windowSize = Durations.parse("windowSize", o.getWindowSize());
    if (!windowSize.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("--windowSize must be positive");
    }
    return new LoginEventParser(
        ZoneId.of(o.getEventTimeZone()),
        Durations.parse("maxFutureSkew", o.getMaxFutureSkew()),
        o.getMaxEventBytes(),
        clock);
  }

  public static KafkaConnection kafka(KafkaOptions o) {
    List<String> props = o.getKafkaProperties() == null ? List.of() : o.getKafkaProperties();
    KafkaConnection kafka = new KafkaConnection(o.getBootstrapServers(), KafkaConnection.parseProperties(props));
    String username = firstNonEmpty(o.getKafkaUsername(), System.getenv("KAFKA_USERNAME"));
    String password = firstNonEmpty(o.getKafkaPassword(), System.getenv("KAFKA_PASSWORD"));
    if (username == null && password == null) {
      return kafka;
    }
    return kafka.withSasl(
        o.getKafkaSaslMechanism(), username == null ? "" : username, password == null ? "" : password);
  }

  public static CassandraConnection cassandra(CassandraOptions o) {
    String username = firstNonEmpty(o.getCassandraUsername(), System.getenv("CASSANDRA_USERNAME"));
    String password = firstNonEmpty(o.getCassandraPassword(), System.getenv("CASSANDRA_PASSWORD"));
    return new CassandraConnection(
        Arrays.stream(o.getCassandraHosts().split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList(),
        o.getCassandraPort(),
        o.getCassandraLocalDc(),
        username,
        password,
        o.getCassandraConsistency(),
        o.getKeyspace(),
        o.getUsersTable());
  }

  private static String firstNonEmpty(String a, String b) {
    return a != null && !a.isEmpty() ? a : (b != null && !b.isEmpty() ? b : null);
  }
}
