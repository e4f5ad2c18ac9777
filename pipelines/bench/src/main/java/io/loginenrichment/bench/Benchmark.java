package io.loginenrichment.bench;

import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.options.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The benchmark: drain rate against the ceiling, freshness, side-input scale and writer cost, on
 * the real local servers, each pipeline in a JVM of its own. Writes results.json, results.md and
 * PNG plots to {@code --outputDir}. Figures only: nothing here asserts a time.
 *
 * <p>Run it with {@code pipelines/bench/run.sh} (starts the servers, builds the classpath).
 */
public final class Benchmark {
  static final String BACKLOG_TOPIC = "bench-logins";

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, BenchOptions.class);
      return;
    }
    PipelineOptionsFactory.register(BenchOptions.class);
    BenchOptions o = PipelineOptionsFactory.fromArgs(args).withValidation().as(BenchOptions.class);
    // On Ctrl-C or TERM (run.sh forwards both) the pipeline JVMs started here must stop with it,
    // before run.sh stops the servers under them.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopChildren(Duration.ofSeconds(10)), "bench-stop"));
    o.setKeyspace(o.getKeyspace() + "_bench");
    Path out = Path.of(o.getOutputDir());
    List<String> stages = BenchOptions.list(o.getStages());
    Map<String, Object> results = new LinkedHashMap<>();
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("cores", Runtime.getRuntime().availableProcessors());
    env.put("java", System.getProperty("java.version"));
    env.put("started", Instant.now().toString());
    results.put("environment", env);
    boolean failed = false;

    try (BenchServers servers =
        new BenchServers(KafkaConnection.fromOptions(o), CassandraConnection.fromOptions(o))) {
      Map<String, Object> sparkDrain = null;
      Backlog backlog = null;
      if (stages.contains("drain") || stages.contains("ceiling") || stages.contains("original") || stages.contains("writer")) {
        Map<String, Object> drain = new LinkedHashMap<>();
        results.put("drain", drain);
        String topic = BACKLOG_TOPIC;
        backlog = new Backlog(o.getEvents(), o.getUsers(), o.getSeed());
        Backlog sent = backlog;
        System.out.printf("[drain] sending a backlog of %,d events over %,d users...%n", o.getEvents(), o.getUsers());
        servers.resetTopics(topic);
        double produceRate = sent.send(servers.kafka, topic);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("events", o.getEvents());
        b.put("users", o.getUsers());
        b.put("valid", sent.kind(io.loginenrichment.tools.SyntheticLogins.Kind.VALID));
        b.put("unknown_user", sent.kind(io.loginenrichment.tools.SyntheticLogins.Kind.UNKNOWN_USER));
        b.put("malformed", sent.kind(io.loginenrichment.tools.SyntheticLogins.Kind.MALFORMED));
        b.put("producer_events_per_s", Math.round(produceRate));
        drain.put("backlog", b);
        System.out.printf("[drain] backlog sent at %,d ev/s%n", Math.round(produceRate));
        if (stages.contains("drain") || stages.contains("ceiling")) {
          failed |= stage(drain, "ceiling", () -> Ceiling.run(servers, sent, topic));
        }
        if (stages.contains("original")) {
          failed |= stage(drain, "original", () -> OriginalDesign.run(servers, sent, topic, o, out));
        }
        if (stages.contains("drain")) {
          for (String profile : BenchOptions.list(o.getDrainProfiles())) {
            failed |= stage(drain, profile, () -> Drain.run(servers, sent, topic, profile, o, out, "SHARED_SESSION"));
          }
        }
        sparkDrain = Report.map(drain.get("spark-local"));
        Report.write(results, out);
      }
      if (stages.contains("freshness")) {
        // One run per profile, each on a fresh table: freshness.<profile>, as drain.<profile>.
        Map<String, Object> freshness = new LinkedHashMap<>();
        results.put("freshness", freshness);
        for (String profile : BenchOptions.list(o.getFreshnessProfiles())) {
          failed |= stage(freshness, profile, () -> {
            Map<String, String> users = SideInputScale.users(o.getFreshnessUsers());
            List<String> hot = List.copyOf(users.keySet());
            var table = servers.resetTable("fresh", users, SideInputScale.INITIAL_LAST_LOGIN);
            return Freshness.run(
                servers,
                new Freshness.Settings(
                    "freshness", profile, table, hot, o.getFreshnessRate(),
                    duration("freshnessWarmup", o.getFreshnessWarmup()),
                    duration("freshnessDuration", o.getFreshnessDuration()),
                    o.getFreshnessMaxOutOfOrderness(), "60s", Duration.ofSeconds(30), true),
                o, out);
          });
          Report.write(results, out);
        }
      }
      if (stages.contains("sideinput")) {
        failed |= stage(results, "sideinput", () -> SideInputScale.run(servers, o, out));
        Report.write(results, out);
      }
      if (stages.contains("writer")) {
        Map<String, Object> sharedDrain = sparkDrain;
        Backlog sent = backlog;
        failed |= stage(results, "writer", () -> {
          Map<String, Object> cassandraIoDrain = null;
          if (sent != null) {
            cassandraIoDrain = Drain.run(servers, sent, BACKLOG_TOPIC, "spark-local", o, out, "CASSANDRA_IO");
          }
          return WriterCost.run(servers.table("drain_ceiling"), o.getClusterOpens(), sharedDrain, cassandraIoDrain);
        });
      }
    }
    results.put("finished", Instant.now().toString());
    Report.write(results, out);
    System.exit(failed ? 1 : 0);
  }

  interface Stage {
    Map<String, Object> run() throws Exception;
  }

  /** Runs a stage into {@code into.name}; a failure is recorded there and the next stage still runs. */
  private static boolean stage(Map<String, Object> into, String name, Stage stage) {
    try {
      into.put(name, stage.run());
      return false;
    } catch (Exception e) {
      System.err.printf("[%s] FAILED: %s%n", name, e);
      e.printStackTrace();
      into.put(name, Map.of("error", String.valueOf(e)));
      return true;
    }
  }

  /** TERM to every process this JVM started, then {@code kill -9} to those still running at the deadline. */
  static void stopChildren(Duration timeout) {
    List<ProcessHandle> children = ProcessHandle.current().children().toList();
    children.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (Exception notYet) {
        child.destroyForcibly();
      }
    }
  }

  static Duration duration(String name, String value) {
    return Duration.ofMillis(Durations.parse(name, value).getMillis());
  }
}
