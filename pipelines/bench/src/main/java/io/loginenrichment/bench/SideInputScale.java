package io.loginenrichment.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.tools.PipelineProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Side-input scale: for each users-table size, the load of one snapshot in a JVM capped at the
 * heap target; then, with the largest table, a freshness run with frequent refreshes shows whether
 * the main stream stalls while the snapshot reloads.
 */
final class SideInputScale {
  static final Instant INITIAL_LAST_LOGIN = Instant.parse("2020-01-01T00:00:00Z");

  private SideInputScale() {}

  static Map<String, String> users(int n) {
    Map<String, String> users = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      users.put(io.loginenrichment.tools.SyntheticLogins.userId(i), "user-" + i);
    }
    return users;
  }

  static Map<String, Object> run(BenchServers servers, BenchOptions o, Path outDir) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    List<Integer> sizes = BenchOptions.list(o.getSideInputSizes()).stream().map(Integer::parseInt).toList();
    CassandraConnection largest = null;
    int largestSize = 0;
    for (int size : sizes) {
      System.out.printf("[sideinput] loading a users table of %,d rows into Cassandra...%n", size);
      long t0 = System.nanoTime();
      CassandraConnection table = servers.resetTable("users_" + size, users(size), INITIAL_LAST_LOGIN);
      double insertSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> load = loadInCappedJvm(table, o.getSideInputHeap(), outDir.resolve("sideinput-" + size + ".log"));
      load.put("table_insert_s", Drain.round1(insertSeconds));
      load.put("heap_limit", o.getSideInputHeap());
      System.out.printf("[sideinput] %,d users: %s%n", size, load);
      result.put(String.valueOf(size), load);
      if (size > largestSize) {
        largestSize = size;
        largest = table;
      }
    }
    if (largest != null) {
      List<String> hot = List.copyOf(users(Math.min(largestSize, o.getFreshnessUsers())).keySet());
      Map<String, Object> stall =
          Freshness.run(
              servers,
              new Freshness.Settings(
                  "stall",
                  o.getStallProfile(),
                  largest,
                  hot,
                  o.getFreshnessRate(),
                  Benchmark.duration("freshnessWarmup", o.getFreshnessWarmup()),
                  Benchmark.duration("stallDuration", o.getStallDuration()),
                  o.getFreshnessMaxOutOfOrderness(),
                  o.getStallRefreshInterval(),
                  Duration.ofSeconds(30),
                  false),
              o,
              outDir);
      stall.put("table_rows", largestSize);
      result.put("stall_check", stall);
    }
    return result;
  }

  private static Map<String, Object> loadInCappedJvm(CassandraConnection table, String heap, Path log) throws Exception {
    Path out = log.resolveSibling(log.getFileName() + ".out");
    Process p =
        new ProcessBuilder(
                PipelineProcess.javaCommand(
                    SideInputLoad.class.getName(),
                    List.of("-Xmx" + heap, "-Xms" + heap),
                    List.of(table.hosts().get(0), String.valueOf(table.port()), table.keyspace(), table.usersTable())))
            .redirectError(log.toFile())
            .redirectOutput(out.toFile())
            .start();
    int code = p.waitFor();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("fits_in_heap_limit", code == 0);
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith("RESULT ")) {
        new ObjectMapper()
            .readTree(line.substring(7))
            .fields()
            .forEachRemaining(e -> r.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText()));
      }
    }
    if (code != 0) {
      r.put("error", "exit code " + code + ", see " + log);
    }
    return r;
  }
}
