package io.loginenrichment.tools;

import io.loginenrichment.options.OptionChecks;
import io.loginenrichment.monitoring.PrometheusEndpoint;
import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Session;
import com.fasterxml.jackson.databind.JsonNode;
import io.loginenrichment.LoginEnrichmentPipeline;
import io.loginenrichment.spark.SparkRunnerSetup;
import io.loginenrichment.flink.FlinkRunnerSetup;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.options.Durations;
import io.loginenrichment.tools.UserRows.UserRow;
import io.loginenrichment.parse.LoginEventParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.common.TopicPartition;

/**
 * The one-command demo: prepares the servers, shows the users table, starts the pipeline, sends
 * the sample logins (and a few malformed ones), then shows the table after and the dead letters
 * with their reasons. It keeps running, printing rows as they change, until Ctrl-C.
 */
public final class Demo {
  private Demo() {}

  public interface Options extends LocalSetup.Options {
    @Description("Logins sent once the pipeline runs (JSON lines)")
    @Default.String("pipelines/login-enrichment/logins.jsonl")
    String getLoginsFile();

    void setLoginsFile(String value);

    @Description("Malformed events sent too, to show the dead letters (empty: none)")
    @Default.String("pipelines/login-enrichment/bad-logins.jsonl")
    String getBadLoginsFile();

    void setBadLoginsFile(String value);

    @Description("Stop after this long, e.g. 2m (0: run until Ctrl-C)")
    @Default.String("0")
    String getRunFor();

    void setRunFor(String value);

    @Description("When the command started, epoch millis (for the time-to-first-row figure)")
    @Default.Long(0)
    long getCommandStartMillis();

    void setCommandStartMillis(long value);
  }

  /** Its own options' rules, beside the pipeline's and the setup's. */
  static void check(Options o) {
    LocalSetup.check(o);
    OptionChecks.readableFile("loginsFile", o.getLoginsFile(), false);
    OptionChecks.readableFile("badLoginsFile", o.getBadLoginsFile(), true);
    OptionChecks.duration("runFor", o.getRunFor());
  }

  public static void main(String[] args) throws Exception {
    Options o = OptionChecks.parseOrExit(args, Options.class, Demo::check);
    if (Boolean.getBoolean("demo.checkOptionsOnly")) {
      return; // run.sh checks the options before it starts any server
    }
    long t0 = o.getCommandStartMillis() > 0 ? o.getCommandStartMillis() : System.currentTimeMillis();
    o.setStreaming(true);

    LocalSetup.run(o);
    CassandraConnection cassandra = CassandraConnection.fromOptions(o);
    KafkaConnection kafka = KafkaConnection.fromOptions(o);
    try (Cluster cluster = cassandra.buildCluster(); Session session = cluster.connect()) {
      Map<String, UserRow> before = UserRows.read(session, cassandra);
      System.out.printf("%nUsers before (%s):%n%s", cassandra.qualifiedUsersTable(), UserRows.format(before, 20));
      Map<TopicPartition, Long> dlqStart = DeadLetterTopic.endOffsets(kafka, o.getDeadLetterTopic());

      SparkRunnerSetup.prepare(o); // as main does: readers kept open, batch times, Spark's metrics
      FlinkRunnerSetup.prepare(o); // as main does: the state backend's path made absolute
      Pipeline pipeline = Pipeline.create(o);
      LoginEnrichmentPipeline.buildPipeline(pipeline, o);
      PipelineResult result = FlinkRunnerSetup.withLiveMetrics(o, pipeline.run());
      // Ctrl-C or TERM (run.sh forwards both): stop at once, before run.sh stops the servers. On
      // Spark not by Beam's cancel alone, which waits for queued micro-batches.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> within(8_000, () -> stopNow(o, result)), "demo-stop"));
      System.out.printf("Pipeline started on %s%n", o.getRunner().getSimpleName());
      PrometheusEndpoint.serve(o, result);
      if (o.getMetricsPort() > 0) {
        System.out.printf("Metrics (Prometheus format): curl http://localhost:%d/metrics%n", o.getMetricsPort());
      }

      List<String> logins = lines(o.getLoginsFile());
      List<String> bad = o.getBadLoginsFile().isEmpty() ? List.of() : lines(o.getBadLoginsFile());
      try (LoginProducer producer = new LoginProducer(kafka, o.getInputTopic())) {
        for (String line : logins) {
          producer.send(JsonLines.loginIdOrNull(line), line.getBytes(StandardCharsets.UTF_8));
        }
        for (String line : bad) {
          producer.send(null, line.getBytes(StandardCharsets.UTF_8));
        }
      }
      System.out.printf("Sent %d logins and %d malformed events to %s%n", logins.size(), bad.size(), o.getInputTopic());

      LoginEventParser parser = LoginEventParser.fromOptions(o, Clock.systemUTC());
      Map<String, Instant> expected = expectedUpdates(parser, logins, before);
      if (expected.isEmpty() && !before.isEmpty()) {
        // An earlier run already applied the sample: show a live update instead of nothing.
        String fresh = freshLogin(before.keySet().iterator().next());
        try (LoginProducer producer = new LoginProducer(kafka, o.getInputTopic())) {
          producer.send(JsonLines.loginIdOrNull(fresh), fresh.getBytes(StandardCharsets.UTF_8));
        }
        System.out.printf("The sample logins were applied by an earlier run; sent a fresh one: %s%n", fresh);
        logins = new java.util.ArrayList<>(logins);
        logins.add(fresh);
        expected = expectedUpdates(parser, logins, before);
      }
      Map<String, UserRow> after = waitForUpdates(session, cassandra, before, expected, t0);
      System.out.printf("%nUsers after:%n%s", UserRows.format(after, 20));
      long expectedDeadLetters = bad.size() + expectedUnknown(parser, logins, before);
      List<JsonNode> deadLetters = waitForDeadLetters(kafka, o.getDeadLetterTopic(), dlqStart, expectedDeadLetters);
      System.out.printf("%nDead letters (%s): %d %s%n", o.getDeadLetterTopic(), deadLetters.size(), countByReason(deadLetters));
      for (JsonNode d : deadLetters.subList(0, Math.min(20, deadLetters.size()))) {
        System.out.printf(
            "  %-17s %-60s payload=%s%n", d.path("reason").asText(), abbreviate(d.path("error").asText(), 60), abbreviate(d.path("payload").asText(), 70));
      }

      long runFor = Durations.parse("runFor", o.getRunFor()).getMillis();
      System.out.printf(
          "%nThe pipeline keeps running: send more logins to '%s' (e.g. with ProduceLogins) and changed rows print here.%s%n",
          o.getInputTopic(), runFor > 0 ? " Stopping in " + o.getRunFor() + "." : " Ctrl-C stops it.");
      watch(session, cassandra, after, runFor);
      within(10_000, () -> cancel(result));
    }
    System.exit(0); // runner threads may linger after cancel
  }

  /** The valid logins among JSON lines, as the pipeline will parse them. */
  static List<LoginEvent> validLogins(LoginEventParser parser, List<String> lines) {
    List<LoginEvent> valid = new java.util.ArrayList<>();
    long offset = 0;
    for (String line : lines) {
      if (parser.parse(RawLoginRecord.of("demo", 0, offset++, null, line.getBytes(StandardCharsets.UTF_8)))
          instanceof LoginEventParser.Valid v) {
        valid.add(v.event());
      }
    }
    return valid;
  }

  /** Rows the sample logins must change: the newest valid login of each known user, if newer. */
  static Map<String, Instant> expectedUpdates(LoginEventParser parser, List<String> logins, Map<String, UserRow> before) {
    Map<String, Instant> newest = new HashMap<>();
    for (LoginEvent e : validLogins(parser, logins)) {
      if (before.containsKey(e.loginId())) {
        newest.merge(e.loginId(), Instant.ofEpochMilli(e.createdTime().getMillis()), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    newest.entrySet().removeIf(e -> {
      Instant old = before.get(e.getKey()).lastLogin();
      return old != null && !e.getValue().isAfter(old);
    });
    return newest;
  }

  /** Valid logins whose user is not in the table: they must come back as unknown_user. */
  static long expectedUnknown(LoginEventParser parser, List<String> logins, Map<String, UserRow> users) {
    return validLogins(parser, logins).stream().filter(e -> !users.containsKey(e.loginId())).count();
  }

  static String freshLogin(String loginId) {
    String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(java.time.ZoneOffset.UTC)
        .format(Instant.now().minusSeconds(1));
    return "{\"login_id\": \"" + loginId + "\", \"created_time\": \"" + now + "\"}";
  }

  private static List<JsonNode> waitForDeadLetters(
      KafkaConnection kafka, String topic, Map<TopicPartition, Long> from, long expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 120_000;
    List<JsonNode> found = DeadLetterTopic.read(kafka, topic, from);
    while (found.size() < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(1_000);
      found = DeadLetterTopic.read(kafka, topic, from);
    }
    return found;
  }

  private static Map<String, UserRow> waitForUpdates(
      Session session, CassandraConnection c, Map<String, UserRow> before, Map<String, Instant> expected, long t0)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 300_000;
    boolean firstSeen = false;
    while (true) {
      Map<String, UserRow> now = UserRows.read(session, c);
      boolean anyChanged = now.entrySet().stream().anyMatch(e -> !Objects.equals(e.getValue(), before.get(e.getKey())));
      if (anyChanged && !firstSeen) {
        firstSeen = true;
        System.out.printf("First updated row after %.1f s (from the command's start)%n", (System.currentTimeMillis() - t0) / 1000.0);
      }
      boolean done =
          expected.entrySet().stream()
              .allMatch(e -> now.containsKey(e.getKey()) && e.getValue().equals(now.get(e.getKey()).lastLogin()));
      if (done) {
        System.out.printf("All %d expected updates applied after %.1f s%n", expected.size(), (System.currentTimeMillis() - t0) / 1000.0);
        return now;
      }
      if (System.currentTimeMillis() > deadline) {
        System.out.println("Not every expected update arrived within 5 minutes; showing the table as it is.");
        return now;
      }
      Thread.sleep(500);
    }
  }

  private static void watch(Session session, CassandraConnection c, Map<String, UserRow> last, long runForMillis)
      throws InterruptedException {
    long stopAt = runForMillis > 0 ? System.currentTimeMillis() + runForMillis : Long.MAX_VALUE;
    Map<String, UserRow> previous = last;
    while (System.currentTimeMillis() < stopAt) {
      Thread.sleep(2_000);
      Map<String, UserRow> now = UserRows.read(session, c);
      for (UserRow row : now.values()) {
        if (!row.equals(previous.get(row.loginId()))) {
          System.out.printf("  updated: %s%n", row.toCsv());
        }
      }
      previous = now;
    }
  }

  private static Map<String, Long> countByReason(List<JsonNode> deadLetters) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    deadLetters.forEach(d -> counts.merge(d.path("reason").asText(), 1L, Long::sum));
    return counts;
  }

  /** Runs {@code stop} without holding up the JVM's exit for long: a shutdown hook must finish. */
  private static void within(long millis, Runnable stop) {
    Thread t = new Thread(stop, "demo-cancel");
    t.setDaemon(true);
    t.start();
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void stopNow(Options o, PipelineResult result) {
    try {
      SparkRunnerSetup.stopStreamingNow(o);
    } catch (RuntimeException e) {
      // Shutting down anyway.
    }
    cancel(result);
  }

  private static void cancel(PipelineResult result) {
    try {
      if (!result.getState().isTerminal()) {
        result.cancel();
      }
    } catch (Exception e) {
      // Shutting down anyway.
    }
  }

  private static List<String> lines(String file) throws java.io.IOException {
    return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
