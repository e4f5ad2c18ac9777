package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.monitoring.StallWatchdog;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import io.loginenrichment.tools.SyntheticLogins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault test on the standalone Spark cluster: the only worker (and with it the executor that
 * holds the readers) is killed with {@code kill -9} mid-stream, logins keep arriving, and the
 * worker is restarted. The driver gets a new executor and keeps going. If logins in flight on the
 * lost executor were never written, the group's committed offsets stay behind them and the
 * pipeline's stall watchdog exits with code 75; the test then plays the supervisor (systemd's
 * {@code Restart=on-failure}) and starts it again, and only then. Either way every login ends
 * applied exactly as without the fault, every offset committed, and the test reports how long
 * recovery took and whether a restart was needed.
 */
class SparkWorkerKillFT {
  private static final int PER_BURST = 2_000;
  /** Short, so that a stall is noticed within the test; the default is 15 minutes. */
  private static final String STALL_TIMEOUT = "--stallTimeout=60s";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"spark-standalone"})
  void aKilledWorkerLosesNothing(String runner) throws Exception {
    RealServers.assumeStartedHere("spark-worker-1");
    try (RealServers servers = new RealServers("workerkill", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  200, 3 * PER_BURST, 1.1, 0.05, 0.05, Duration.ofSeconds(20), start, Duration.ofMinutes(10), 17));
      SentLogins sent = new SentLogins(servers.loadUsers(logins));
      Iterator<SyntheticLogins.Event> events = logins.events();
      PipelineProcess pipeline = servers.startPipelineProcess(STALL_TIMEOUT);
      sendBurst(servers, sent, events);
      pipeline.awaitCounters(s -> s.get("events_in") >= PER_BURST, Duration.ofMinutes(3));

      long workerPid = Long.parseLong(Files.readString(Path.of(".data", "spark-worker-1.pid")).trim());
      System.out.println("SparkWorkerKillFT counters at the kill: " + pipeline.latest().counters());
      long killedAt = System.nanoTime();
      ProcessHandle.of(workerPid).ifPresent(ProcessHandle::destroyForcibly);
      try {
        sendBurst(servers, sent, events);
        Thread.sleep(10_000);
        assertThat(pipeline.isAlive()).as("the driver survived the worker's death").isTrue();
      } finally {
        RealServers.serversScript("start", "spark"); // the next test needs it, even after a failure
      }
      System.out.println("SparkWorkerKillFT counters after the restart: " + pipeline.latest().counters());
      sendBurst(servers, sent, events);

      // The supervisor: restarts the pipeline when, and only when, it exits with the watchdog's code.
      int restarts = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
      while (!sent.tableReaches(servers, Duration.ofSeconds(5)) && System.nanoTime() < deadline) {
        if (!pipeline.isAlive()) {
          assertThat(pipeline.awaitExit(Duration.ofSeconds(1)))
              .as("the pipeline only ever exits to ask for a restart")
              .hasValue(StallWatchdog.EXIT_STALLED);
          restarts++;
          pipeline = servers.startPipelineProcess(STALL_TIMEOUT);
        }
      }
      System.out.printf(
          "SparkWorkerKillFT: table exact %.1f s after the kill, %d restart(s) by the supervisor on exit code %d%n",
          (System.nanoTime() - killedAt) / 1e9, restarts, StallWatchdog.EXIT_STALLED);
      sent.awaitAllApplied(servers, Duration.ofSeconds(30));
      RealServers.await(Duration.ofSeconds(60), () -> servers.committedOffsetsOrFail(), servers.endOffsets());
    }
  }

  private static void sendBurst(RealServers servers, SentLogins sent, Iterator<SyntheticLogins.Event> events) {
    try (LoginProducer producer = servers.producer()) {
      for (int i = 0; i < PER_BURST; i++) {
        sent.send(producer, events.next());
      }
    }
  }
}
