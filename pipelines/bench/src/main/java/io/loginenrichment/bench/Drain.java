package io.loginenrichment.bench;

import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drain rate: the pipeline, in its own JVM, reads the whole backlog from the earliest offset into a
 * fresh copy of the users table; done when every event is counted and the table equals the
 * expected one. Start-up (JVM, Spark context or Flink mini cluster, first poll) is reported apart
 * from the rate.
 */
final class Drain {
  private static final Duration STABLE_FOR = Duration.ofSeconds(120);

  private Drain() {}

  static Map<String, Object> run(
      BenchServers servers, Backlog backlog, String topic, String profile, BenchOptions o, Path outDir, String writer)
      throws Exception {
    String id = profile.replace('-', '_') + "_" + writer.toLowerCase(java.util.Locale.ROOT);
    System.out.printf("[drain] %s: loading %,d users...%n", profile, backlog.users.size());
    CassandraConnection table = servers.resetTable("drain_" + id, backlog.users, Backlog.INITIAL_LAST_LOGIN);
    String group = "bench-drain-" + profile + "-" + System.currentTimeMillis();
    List<String> args =
        RunnerProfiles.benchArgs(profile, servers, table, topic, group, outDir, o, writerArgs(writer));
    Duration timeout = Duration.ofMillis(io.loginenrichment.options.Durations.parse("drainTimeout", o.getDrainTimeout()).getMillis());
    System.out.printf("[drain] %s: draining %,d events...%n", profile, backlog.events);
    try (PipelineProcess p =
        RunnerProfiles.startPipeline(
            profile, o, args, outDir.resolve("drain-" + profile + "-" + writer.toLowerCase(java.util.Locale.ROOT) + ".log"))) {
      Map<String, Object> r = measure(profile + "/" + writer, p, servers, backlog, table, timeout);
      PipelineProcess.Sample last = p.latest();
      r.put("runner", profile);
      r.put("writer", writer);
      r.put("cassandra_writes", last.get("rows_emitted") + last.get("cassandra_write_retries"));
      r.put("dead_letters", last.get("dead_letters"));
      r.put("expected_dead_letters", backlog.kind(SyntheticLogins.Kind.MALFORMED) + backlog.kind(SyntheticLogins.Kind.UNKNOWN_USER));
      r.put("logins_lost_in_grouping", last.get("logins_lost_in_grouping"));
      r.put("cassandra_sessions_opened", last.get("cassandra_sessions_opened"));
      r.put("pipeline_heap", o.getPipelineHeap());
      r.put("counters", last.counters());
      return r;
    }
  }

  /**
   * Waits for {@code p} (which reports {@code events_in} in its counters lines) to count the whole
   * backlog and for the table to be right, or to stop changing for a while (then the rows still
   * wrong are lost); the rate is taken from the first counted event, so start-up is apart.
   */
  static Map<String, Object> measure(
      String label, PipelineProcess p, BenchServers servers, Backlog backlog, CassandraConnection table, Duration timeout)
      throws Exception {
    PipelineProcess.Sample first = p.awaitCounters(s -> s.get("events_in") > 0, timeout);
    PipelineProcess.Sample counted = p.awaitCounters(s -> s.get("events_in") >= backlog.events, timeout);
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    int mismatches = backlog.mismatches(servers.lastLogins(table));
    long lastChange = System.currentTimeMillis();
    while (mismatches > 0 && System.currentTimeMillis() < deadline && p.isAlive()
        && System.currentTimeMillis() - lastChange < STABLE_FOR.toMillis()) {
      Thread.sleep(3_000); // a full scan loads Cassandra, which the pipeline is writing to
      int now = backlog.mismatches(servers.lastLogins(table));
      if (now != mismatches) {
        lastChange = System.currentTimeMillis();
      }
      mismatches = now;
    }
    // A table that never became exact is timed to its last change, not to the end of the wait.
    long verified = mismatches == 0 ? System.currentTimeMillis() : lastChange;
    Map<String, Object> r = new LinkedHashMap<>();
    double drainSeconds = (verified - first.epochMillis()) / 1000.0;
    r.put("events", backlog.events);
    r.put("users", backlog.users.size());
    r.put("table_correct", mismatches == 0);
    r.put("mismatched_rows", mismatches);
    r.put("rows_right_pct", round1(100.0 * (backlog.users.size() - Math.min(mismatches, backlog.users.size())) / backlog.users.size()));
    r.put("events_per_s", Math.round(backlog.events / drainSeconds));
    r.put("drain_s", round1(drainSeconds));
    r.put("startup_s", round1((first.epochMillis() - p.startedMillis()) / 1000.0));
    r.put("wall_s", round1((verified - p.startedMillis()) / 1000.0));
    r.put("all_counted_s", round1((counted.epochMillis() - first.epochMillis()) / 1000.0));
    r.put("read_events_per_s", Math.round(backlog.events / Math.max(0.001, (counted.epochMillis() - first.epochMillis()) / 1000.0)));
    r.put("pipeline_peak_rss_mb", p.peakRssBytes() / (1024 * 1024));
    r.put("progress", progress(p.samples(), p.startedMillis()));
    System.out.printf(
        "[drain] %s: %,d events in %.1f s = %,d ev/s (start-up %.1f s), table %s, RSS %d MB%n",
        label, backlog.events, drainSeconds, Math.round(backlog.events / drainSeconds),
        (first.epochMillis() - p.startedMillis()) / 1000.0, mismatches == 0 ? "correct" : mismatches + " rows wrong",
        p.peakRssBytes() / (1024 * 1024));
    return r;
  }

  /** [seconds since launch, events counted] pairs for the plot. */
  static List<double[]> progress(List<PipelineProcess.Sample> samples, long startedMillis) {
    List<double[]> out = new ArrayList<>();
    for (PipelineProcess.Sample s : samples) {
      out.add(new double[] {(s.epochMillis() - startedMillis) / 1000.0, s.get("events_in")});
    }
    return out;
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** CassandraIO reports no writes, so with it offsets are committed on read. */
  static List<String> writerArgs(String writer) {
    return "CASSANDRA_IO".equals(writer)
        ? List.of("--cassandraWriter=" + writer, "--commitOffsets=ON_READ")
        : List.of("--cassandraWriter=" + writer);
  }
}
