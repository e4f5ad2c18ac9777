package io.loginenrichment.bench;

import io.loginenrichment.LoginEnrichmentPipeline;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.tools.PipelineProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code runner-profiles/<name>}, with overrides (Beam refuses an option twice), and
 * the classpath a pipeline on that profile runs with.
 */
final class RunnerProfiles {
  /** Where pipelines/bench/run.sh writes one runtime classpath per runner family. */
  static final Path CLASSPATHS = Path.of("pipelines", "bench", "target");

  private RunnerProfiles() {}

  /** The runners whose jars a pipeline JVM needs, each a Maven profile of the pipeline's pom. */
  enum Family {
    /** {@code -Pdirect-runner} (the pom's default): the DirectRunner. */
    DIRECT,
    /** {@code -Pspark-runner}: Spark, as the demo runs spark-local. */
    SPARK,
    /** {@code -Pflink-runner}: Flink, as the demo runs flink-local. */
    FLINK;

    static Family of(String profile) {
      if (profile.startsWith("spark")) {
        return SPARK;
      }
      if (profile.startsWith("flink")) {
        return FLINK;
      }
      return DIRECT;
    }

    /** The file, under {@link #CLASSPATHS}, holding this family's runtime dependencies. */
    String classpathFile() {
      return "pipeline-classpath-" + name().toLowerCase(Locale.ROOT) + ".txt";
    }
  }

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
   * {@code topic} from the start into {@code table}, counters every second and, on Spark and Flink,
   * a checkpoint directory of its own under {@code outDir} (named by the group, so every run starts
   * without state); then the user's {@code --pipelineArgs}.
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
    overrides.addAll(stateArgs(profile, outDir, group));
    for (String a : o.getPipelineArgs().split(";")) {
      if (!a.isBlank()) {
        overrides.add(a.trim());
      }
    }
    return args(profile, overrides);
  }

  /** Spark's checkpoint or Flink's state backend directory for one run; none on the DirectRunner. */
  static List<String> stateArgs(String profile, Path outDir, String group) {
    String dir = outDir.resolve("checkpoint").resolve(group).toAbsolutePath().toString();
    return switch (Family.of(profile)) {
      case SPARK -> List.of("--checkpointDir=" + dir);
      case FLINK -> List.of("--stateBackendStoragePath=" + dir);
      case DIRECT -> List.of();
    };
  }

  /**
   * The pipeline's classes and the runtime dependencies of its runner family, as the demo runs
   * them: a Spark pipeline never sees Flink's jars, nor a Flink pipeline Spark's core (the
   * SparkRunner's jar comes with the pipeline everywhere).
   */
  static String classpath(String profile) throws IOException {
    Path file = CLASSPATHS.resolve(Family.of(profile).classpathFile());
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: pipelines/bench/run.sh builds it");
    }
    return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Files.readString(file).trim();
  }

  /** The pipeline on {@code profile}, in a JVM of its own with its runner family's classpath. */
  static PipelineProcess startPipeline(String profile, BenchOptions o, List<String> args, Path log)
      throws IOException {
    return PipelineProcess.startOnClasspath(
        classpath(profile), LoginEnrichmentPipeline.class.getName(), List.of("-Xmx" + o.getPipelineHeap()), args, log);
  }

  private static String name(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }
}
