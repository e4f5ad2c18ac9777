package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Session;
import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.LoginEnrichmentPipeline;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.tools.DeadLetterTopic;
import io.loginenrichment.tools.LocalSetup;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.UserRows;
import io.loginenrichment.tools.UserRows.UserRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import io.loginenrichment.tools.PipelineProcess;
import org.junit.jupiter.api.Assumptions;

/**
 * One scenario's world on the real local servers (started by {@code mvn verify}, see the pom):
 * its own users table, topics and consumer group, so scenarios never see each other's data. The
 * pipeline runs in this JVM with the options of a runner profile ({@code runner-profiles/}),
 * exactly as the demo runs it.
 */
final class RealServers implements AutoCloseable {
  static final String KEYSPACE = "spark_db_it";

  final String name;
  final String runnerProfile;
  final String inputTopic;
  final String deadLetterTopic;
  final String usersTable;
  final KafkaConnection kafka;
  final CassandraConnection cassandra;
  private final Cluster cluster;
  final Session session;
  private final List<RunningPipeline> pipelines = new ArrayList<>();
  private final List<PipelineProcess> processes = new ArrayList<>();
  /** Held while this scenario uses the standalone cluster, whose one worker serves one application. */
  private final java.nio.channels.FileLock standaloneLock;

  /** Server options every use of this scenario gets (e.g. another port, credentials). */
  private final List<String> serverArgs;

  RealServers(String scenario, String runnerProfile) throws Exception {
    this(scenario, runnerProfile, List.of());
  }

  RealServers(String scenario, String runnerProfile, List<String> serverArgs) throws Exception {
    Assumptions.assumeTrue(
        enabledRunnerProfiles().contains(runnerProfile),
        () -> runnerProfile + " not in -DrunnerProfiles=" + enabledRunnerProfiles());
    this.runnerProfile = runnerProfile;
    this.serverArgs = List.copyOf(serverArgs);
    String runner = runnerProfile.replaceAll("[^A-Za-z0-9]", "");
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    this.name = scenario + "_" + runner + "_" + suffix;
    this.inputTopic = "logins_" + name;
    this.deadLetterTopic = "dlq_" + name;
    this.usersTable = "users_" + scenario + "_" + runner;
    LocalSetup.Options setup = options(LocalSetup.Options.class, "--usersCsv=");
    this.kafka = KafkaConnection.fromOptions(setup);
    this.cassandra = CassandraConnection.fromOptions(setup);
    LocalSetup.run(setup);
    this.cluster = cassandra.buildCluster();
    this.session = cluster.connect();
    session.execute("TRUNCATE " + cassandra.qualifiedUsersTable());
    // Last, so that a failure above cannot leave the lock held by a scenario never closed.
    this.standaloneLock = runnerProfile.equals("spark-standalone") ? lockStandaloneCluster() : null;
  }

  /** Options for this scenario: the runner profile, its servers, topics and table, plus extras. */
  <T extends LoginEnrichmentOptions> T options(Class<T> type, String... extra) throws IOException {
    PipelineOptionsFactory.register(type);
    T o = PipelineOptionsFactory.fromArgs(args(extra).toArray(String[]::new)).withValidation().as(type);
    o.setStreaming(true);
    return o;
  }

  /** The scenario's pipeline arguments, each option once. */
  List<String> args(String... extra) throws IOException {
    // Later entries win: profile, then the scenario's defaults, then the extras.
    Map<String, String> byName = new java.util.LinkedHashMap<>();
    List<String> args = new ArrayList<>(runnerProfile(runnerProfile));
    args.addAll(
        List.of(
            "--bootstrapServers=127.0.0.1:9092",
            "--cassandraHosts=127.0.0.1",
            "--inputTopic=" + inputTopic,
            "--deadLetterTopic=" + deadLetterTopic,
            "--consumerGroup=group_" + name,
            "--keyspace=" + KEYSPACE,
            "--usersTable=" + usersTable,
            "--windowSize=5s",
            "--maxOutOfOrderness=1s",
            "--usersRefreshInterval=5s",
            // End-to-end tests run two at a time: no fixed port (a test that scrapes serves its own).
            "--metricsPort=0"));
    // One checkpoint directory per scenario, in the runner's own option.
    args.add(
        isFlink()
            ? "--stateBackendStoragePath=" + Path.of(".data", "flink-checkpoint", "it", name).toAbsolutePath()
            : "--checkpointDir=" + Path.of(".data", "spark-checkpoint", "it", name).toAbsolutePath());
    args.addAll(serverArgs);
    args.addAll(List.of(extra));
    for (String arg : args) {
      byName.put(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg, arg);
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * The pipeline's own main in a JVM of its own, as deployed: it can be killed with {@code kill -9}.
   * Its counters arrive every second; its log goes to target/failsafe-reports.
   */
  PipelineProcess startPipelineProcess(String... extra) throws IOException {
    return startPipelineProcess(Map.of(), extra);
  }

  /** As above, with extra environment variables (e.g. credentials). */
  PipelineProcess startPipelineProcess(Map<String, String> env, String... extra) throws IOException {
    return startPipelineProcess(List.of(), env, extra);
  }

  /** As above, with extra JVM options (e.g. Spark settings as {@code -Dspark.*} properties). */
  PipelineProcess startPipelineProcess(List<String> jvmArgs, Map<String, String> env, String... extra)
      throws IOException {
    List<String> args = args(extra);
    args.add("--countersInterval=1s");
    List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
    // The test JVMs' flags (pom.xml testJvmFlags: no C2 for JVMs that live a minute).
    String testJvmFlags = System.getProperty("testJvmFlags", "").trim();
    for (String flag : testJvmFlags.split("\\s+")) {
      if (!flag.isEmpty()) {
        jvm.add(flag);
      }
    }
    if (!testJvmFlags.isEmpty()) {
      // A standalone cluster's executors live as long as the test too.
      jvm.add("-Dspark.executor.extraJavaOptions=" + testJvmFlags);
    }
    jvm.addAll(jvmArgs);
    PipelineProcess p =
        PipelineProcess.startPipeline(
            jvm, args, env, Path.of("target", "failsafe-reports", name + "-" + processes.size() + ".log"));
    processes.add(p);
    return p;
  }

  /** Whether this scenario runs on the FlinkRunner (runner-profiles/flink-*). */
  boolean isFlink() {
    return runnerProfile.startsWith("flink");
  }

  /** The runner profiles the *IT run on: {@code -DrunnerProfiles=direct,spark-local} (default all). */
  static List<String> enabledRunnerProfiles() {
    return List.of(System.getProperty("runnerProfiles", "direct,spark-local,spark-standalone,flink-local,flink-cluster").split(","));
  }

  static List<String> runnerProfile(String profile) throws IOException {
    Path file = Path.of("runner-profiles", profile);
    return Files.readAllLines(file).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  /** Runs {@code pipelines/local-servers/servers.sh} with these arguments; fails on a non-zero exit. */
  static void serversScript(String... args) throws Exception {
    serversScript(Map.of(), args);
  }

  /** As above, with settings in the environment (another DATA_DIR, port, CASSANDRA_AUTH...). */
  static void serversScript(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "pipelines/local-servers/servers.sh"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(env);
    Process p = builder.start();
    assertThat(p.waitFor(200, java.util.concurrent.TimeUnit.SECONDS)).as("servers.sh finished").isTrue();
    assertThat(p.exitValue()).as("servers.sh " + String.join(" ", args)).isZero();
  }

  static boolean portOpen(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A fault test may only stop a server that servers.sh started here (not somebody else's). */
  static void assumeStartedHere(String server) {
    Assumptions.assumeTrue(
        Files.exists(Path.of(".data", server + ".pid")), server + " was not started by servers.sh here");
  }

  void loadUsers(List<LocalSetup.SeedUser> users) {
    LocalSetup.loadUsers(session, cassandra, users);
  }

  /**
   * Loads the generator's users with last_login at the epoch, and returns that as the expected
   * table, for the caller to merge each valid login into.
   */
  Map<String, Instant> loadUsers(io.loginenrichment.tools.SyntheticLogins logins) {
    List<LocalSetup.SeedUser> users = new ArrayList<>();
    Map<String, Instant> expected = new TreeMap<>();
    logins.users().forEach((id, name) -> {
      users.add(new LocalSetup.SeedUser(id, name, Instant.EPOCH));
      expected.put(id, Instant.EPOCH);
    });
    loadUsers(users);
    return expected;
  }

  /** Sends a generated event; a valid one raises its user's expected last_login if newer. */
  static void send(LoginProducer producer, io.loginenrichment.tools.SyntheticLogins.Event e, Map<String, Instant> expected) {
    producer.send(e.key(), e.value());
    SentLogins.expect(expected, e);
  }

  RunningPipeline startPipeline(String... extra) throws IOException {
    LoginEnrichmentOptions o = options(LoginEnrichmentOptions.class, extra);
    // As main does: on Spark a fresh checkpoint per start (the consumer group holds the progress)
    // and source readers that stay open across slow micro-batches.
    io.loginenrichment.spark.SparkRunnerSetup.prepare(o);
    io.loginenrichment.flink.FlinkRunnerSetup.prepare(o);
    Pipeline p = Pipeline.create(o);
    LoginEnrichmentPipeline.buildPipeline(p, o);
    RunningPipeline running = new RunningPipeline(io.loginenrichment.flink.FlinkRunnerSetup.withLiveMetrics(o, p.run()));
    pipelines.add(running);
    return running;
  }

  LoginProducer producer() {
    return new LoginProducer(kafka, inputTopic);
  }

  Map<String, UserRow> rows() {
    return UserRows.read(session, cassandra);
  }

  /** login_id -> last_login of every row. */
  Map<String, Instant> lastLogins() {
    Map<String, Instant> out = new TreeMap<>();
    rows().forEach((id, row) -> out.put(id, row.lastLogin()));
    return out;
  }

  List<JsonNode> deadLetters() {
    return DeadLetterTopic.read(kafka, deadLetterTopic, Map.of());
  }

  /** Committed offsets of the scenario's consumer group, summed over partitions. */
  long committedOffsets() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin.listConsumerGroupOffsets("group_" + name).partitionsToOffsetAndMetadata().get().values().stream()
          .filter(java.util.Objects::nonNull)
          .mapToLong(o -> o.offset())
          .sum();
    }
  }

  /** {@link #committedOffsets()} for polling: a failed read is an exception, not a checked one. */
  long committedOffsetsOrFail() {
    try {
      return committedOffsets();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until a restarted broker takes writes again: every input partition has a leader and an
   * idempotent producer's record to a probe topic is acknowledged. The port answers before the
   * leaders are back, and even with leaders in the metadata a producer started at once can see
   * NOT_LEADER errors whose idempotent retries end in OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  void awaitBrokerTakesWrites(Duration timeout) throws InterruptedException {
    String probeTopic = inputTopic + "_probe";
    await(timeout, () -> {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        boolean led = admin.describeTopics(List.of(inputTopic)).allTopicNames().get(5, java.util.concurrent.TimeUnit.SECONDS)
            .get(inputTopic).partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (!led) {
          return false;
        }
        if (!admin.listTopics().names().get(5, java.util.concurrent.TimeUnit.SECONDS).contains(probeTopic)) {
          admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(probeTopic, 1, (short) 1)))
              .all().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (LoginProducer probe = new LoginProducer(kafka, probeTopic)) {
          probe.send("probe", new byte[] {1});
        }
        return true;
      } catch (Exception notYet) {
        System.err.println("[test] broker not taking writes yet: " + notYet);
        return false;
      }
    }, true);
  }

  long endOffsets() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      int partitions = admin.describeTopics(List.of(inputTopic)).allTopicNames().get().get(inputTopic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(inputTopic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
    }
  }

  /** Polls until {@code actual} equals {@code expected}, then asserts (with a diff) either way. */
  static <T> void await(Duration timeout, Supplier<T> actual, T expected) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = attempt(actual);
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      last = attempt(actual);
    }
    assertThat(actual.get()).isEqualTo(expected);
  }

  /** Polls until {@code done} holds for the value read, asserts that it does, and returns it. */
  static <T> T awaitValue(Duration timeout, Supplier<T> read, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = attempt(read);
    while ((last == null || !done.test(last)) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      last = attempt(read);
    }
    assertThat(last).as("last value read").matches(v -> v != null && done.test(v));
    return last;
  }

  /** A read that may fail while a server restarts counts as "not yet". */
  private static <T> T attempt(Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    pipelines.forEach(RunningPipeline::stop);
    for (PipelineProcess p : processes) {
      try {
        p.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    session.close();
    cluster.close();
    if (standaloneLock != null) {
      try {
        standaloneLock.channel().close(); // releases the lock
      } catch (IOException e) {
        // the lock goes with this JVM at the latest
      }
    }
  }

  /**
   * Waits for the standalone cluster: end-to-end tests run in two JVMs at once, and a second
   * application would wait for the worker's cores until the first ends.
   */
  private static java.nio.channels.FileLock lockStandaloneCluster() throws IOException, InterruptedException {
    Path file = Path.of(".data", "spark-standalone.it-lock");
    Files.createDirectories(file.getParent());
    java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      java.nio.channels.FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        channel.close();
        throw new IllegalStateException("the standalone cluster stayed in use by another test for 10 minutes");
      }
      Thread.sleep(1_000);
    }
  }

  /** A pipeline running in this JVM. */
  static final class RunningPipeline {
    final PipelineResult result;

    RunningPipeline(PipelineResult result) {
      this.result = result;
    }

    long counter(String name) {
      long total = 0;
      for (MetricResult<Long> c :
          result.metrics()
              .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named("login-enrichment", name)).build())
              .getCounters()) {
        total += c.getAttempted();
      }
      return total;
    }

    void stop() {
      try {
        if (!result.getState().isTerminal()) {
          result.cancel();
        }
        result.waitUntilFinish(org.joda.time.Duration.standardSeconds(30));
      } catch (Exception e) {
        // Already stopping: nothing else to release.
      }
      if (result instanceof org.apache.beam.runners.spark.SparkPipelineResult) {
        // The SparkRunner keeps watermarks, source readers and metrics in JVM-wide singletons.
        // A real restart is a new JVM; here the next pipeline shares this one, so start it clean.
        org.apache.beam.runners.spark.util.GlobalWatermarkHolder.clear();
        try {
          org.apache.beam.runners.spark.io.MicrobatchSource.clearCache();
        } catch (NullPointerException noReaderInThisJvm) {
          // On a cluster the readers live in the executors; the driver never made the cache.
        }
        org.apache.beam.runners.spark.metrics.MetricsAccumulator.clear();
      }
    }
  }
}
