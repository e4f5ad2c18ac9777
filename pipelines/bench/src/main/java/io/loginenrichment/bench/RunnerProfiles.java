package io.loginenrichment.bench;

import io.loginenrichment.cassandra.CassandraConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options of {@code runner-profiles/<name>}, with overrides (Beam refuses an option twice). */
final class RunnerProfiles {
  private RunnerProfiles() {}

  static List<String> args(String profile, List<String> overrides) throws IOException {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("runner-profiles", profile))) {
      String l = line.trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        byName.put(name(l), l);
      }
    }
    for (String o : overrides) {
      byName.put(name(o), o);
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * The options every benchmark pipeline run shares: the servers, a fresh consumer group reading
   * {@code topic} from the start into {@code table}, counters every second and, on Spark, a
   * checkpoint directory of its own; then the user's {@code --pipelineArgs}.
   */
  static List<String> benchArgs(
      String profile, BenchServers servers, CassandraConnection table, String topic, String group, Path outDir,
      BenchOptions o, List<String> extra) throws IOException {
    List<String> overrides = new ArrayList<>(List.of(
        "--bootstrapServers=" + servers.kafka.bootstrapServers(),
        "--inputTopic=" + topic,
        "--deadLetterTopic=" + topic + "-dlq",
        "--consumerGroup=" + group,
        "--startingOffsets=EARLIEST",
        "--cassandraHosts=" + String.join(",", table.hosts()),
        "--cassandraPort=" + table.port(),
        "--keyspace=" + table.keyspace(),
        "--usersTable=" + table.usersTable(),
        "--countersInterval=1s"));
    overrides.addAll(extra);
    if (isSpark(profile)) {
      overrides.add("--checkpointDir=" + outDir.resolve("checkpoint").resolve(group).toAbsolutePath());
    }
    for (String a : o.getPipelineArgs().split(";")) {
      if (!a.isBlank()) {
        overrides.add(a.trim());
      }
    }
    return args(profile, overrides);
  }

  static boolean isSpark(String profile) {
    return profile.startsWith("spark");
  }

  private static String name(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }
}
