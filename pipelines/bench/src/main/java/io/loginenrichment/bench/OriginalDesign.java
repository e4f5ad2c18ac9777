package io.loginenrichment.bench;

import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.tools.PipelineProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The job this project replaces, drained over the same backlog in the same run: Spark Structured
 * Streaming, {@code from_json}, an inner stream-static join with the users table read through the
 * Spark Cassandra Connector, every joined row written (no newest-per-user, no dead letters). It is
 * its own Maven project ({@code pipelines/bench/original-design}, built by the bench's run.sh) so
 * its Spark SQL, Scala and connector jars stay out of the pipeline's artifact.
 */
final class OriginalDesign {
  static final Path PROJECT = Path.of("pipelines", "bench", "original-design");

  private OriginalDesign() {}

  static Map<String, Object> run(BenchServers servers, Backlog backlog, String topic, BenchOptions o, Path outDir)
      throws Exception {
    System.out.printf("[original] loading %,d users...%n", backlog.users.size());
    CassandraConnection table = servers.resetTable("drain_original", backlog.users, Backlog.INITIAL_LAST_LOGIN);
    Path classpathFile = PROJECT.resolve("target/classpath.txt");
    if (!Files.exists(classpathFile)) {
      throw new IllegalStateException(classpathFile + " is missing: pipelines/bench/run.sh builds it");
    }
    String classpath = PROJECT.resolve("target/classes") + ":" + Files.readString(classpathFile).trim();
    List<String> args =
        List.of(
            "--bootstrapServers=" + servers.kafka.bootstrapServers(),
            "--topic=" + topic,
            "--cassandraHost=" + table.hosts().get(0),
            "--cassandraPort=" + table.port(),
            "--keyspace=" + table.keyspace(),
            "--table=" + table.usersTable(),
            "--master=local[2]",
            "--maxOffsetsPerTrigger=50000",
            "--checkpointDir=" + outDir.resolve("original-checkpoint-" + System.currentTimeMillis()).toAbsolutePath());
    Duration timeout = Benchmark.duration("drainTimeout", o.getDrainTimeout());
    System.out.printf("[original] draining %,d events...%n", backlog.events);
    try (PipelineProcess p =
        PipelineProcess.startOnClasspath(
            classpath,
            "io.loginenrichment.original.OriginalDesignJob",
            List.of("-Xmx" + o.getPipelineHeap()),
            args,
            outDir.resolve("drain-original-design.log"))) {
      Map<String, Object> r = Drain.measure("original-design", p, servers, backlog, table, timeout);
      r.put("runner", "original design (Structured Streaming, local[2])");
      return r;
    }
  }
}
