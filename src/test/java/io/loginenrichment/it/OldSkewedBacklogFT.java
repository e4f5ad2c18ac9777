package io.loginenrichment.it;

import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape that lost logins on the SparkRunner: a backlog waiting before the pipeline starts,
 * event times hours in the past, one partition ten times heavier than the other three, read by at
 * least two splits (local[2]; on the standalone cluster two executors of one core each, so no JVM
 * sees every partition). Drained without a restart: the table exact, every offset committed, the
 * counters balanced and no login lost inside the grouping step.
 */
class OldSkewedBacklogFT {
  private static final int EVENTS = 60_000;
  private static final int PARTITIONS = 4;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spark-local", "spark-standalone", "flink-local"})
  void anHoursOldSkewedBacklogIsDrainedExactlyWithoutARestart(String runner) throws Exception {
    try (RealServers servers = new RealServers("oldbacklog", runner)) {
      Instant start = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  3_000, EVENTS, 1.1, 0.01, 0.005, Duration.ofMinutes(2), start, Duration.ofHours(1), 7));
      SentLogins sent = new SentLogins(servers.loadUsers(logins));
      int[] perPartition = new int[PARTITIONS];
      try (LoginProducer producer = servers.producer()) {
        Iterator<SyntheticLogins.Event> events = logins.events();
        for (int i = 0; events.hasNext(); i++) {
          // 10 of every 13 events to partition 0, one each to the others.
          int slot = i % 13;
          int partition = slot < 10 ? 0 : slot - 9;
          perPartition[partition]++;
          sent.send(producer, partition, events.next());
        }
      }
      System.out.printf("OldSkewedBacklogFT %s: backlog of %,d events per partition %s%n", runner, sent.sent(), java.util.Arrays.toString(perPartition));

      long t0 = System.nanoTime();
      // Standalone: one worker of 2 cores gives two executors of one core each.
      List<String> jvm = runner.equals("spark-standalone") ? List.of("-Dspark.executor.cores=1") : List.of();
      PipelineProcess pipeline = servers.startPipelineProcess(jvm, Map.of());
      sent.awaitAllApplied(servers, Duration.ofMinutes(4));
      System.out.printf(
          "OldSkewedBacklogFT %s: table exact %.1f s after the pipeline started, peak RSS %,d MB%n",
          runner, (System.nanoTime() - t0) / 1e9, pipeline.peakRssBytes() >> 20);
      RealServers.await(Duration.ofSeconds(60), () -> servers.committedOffsetsOrFail(), servers.endOffsets());
      sent.awaitCountersBalance(pipeline, Duration.ofSeconds(60));
    }
  }
}
