package io.loginenrichment.monitoring;

import java.io.IOException;
import org.apache.beam.sdk.PipelineResult;
import io.loginenrichment.options.Durations;
import io.loginenrichment.options.CommitOffsets;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.util.DaemonThreads;
import io.loginenrichment.kafka.ConsumerLag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the consumer group's committed offsets stop moving while records wait behind them,
 * for longer than a timeout: the case of logins read on a lost Spark executor and never written,
 * or anything else that stops progress without failing the pipeline. Then the pipeline exits with
 * {@link #EXIT_STALLED}, and a supervisor (the demo's run script, systemd, {@code spark-submit
 * --supervise}) starts it again; a new start reads from the committed offsets, so nothing is lost.
 * A partition whose lag cannot be measured (Kafka down) is not counted as stalled.
 */
public final class StallWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(StallWatchdog.class);
  /** {@code EX_TEMPFAIL} of sysexits.h: a temporary failure, worth a restart. */
  public static final int EXIT_STALLED = 75;

  private final Duration timeout;
  private final LongSupplier clock;
  private final Map<Integer, long[]> behindSince = new HashMap<>(); // partition -> {committed, since}

  StallWatchdog(Duration timeout, LongSupplier clock) {
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * Watches the pipeline's group unless {@code --stallTimeout=0s} or offsets are committed on read
   * (then they move without writes, and a stall cannot be seen); on a stall, cancels {@code result}
   * and exits with {@link #EXIT_STALLED}.
   */
  public static void restartWhenStalled(LoginEnrichmentOptions o, PipelineResult result) {
    Duration timeout = Durations.parse("stallTimeout", o.getStallTimeout());
    if (timeout.isEqual(Duration.ZERO) || o.getCommitOffsets() != CommitOffsets.AFTER_WRITE) {
      return;
    }
    Duration every = Duration.standardSeconds(timeout.isShorterThan(Duration.standardSeconds(60)) ? 5 : 15);
    watch(
        ConsumerLag.of(o),
        timeout,
        every,
        () -> {
          try {
            result.cancel();
          } catch (IOException | RuntimeException e) {
            LOG.warn("Cancelling the stalled pipeline failed: {}", e.toString());
          }
          Runtime.getRuntime().halt(EXIT_STALLED);
        });
  }

  /**
   * Checks {@code lag} every {@code every} on a daemon thread; on a stall, runs {@code onStall}
   * once (which is expected to end the process).
   */
  public static void watch(ConsumerLag lag, Duration timeout, Duration every, Runnable onStall) {
    StallWatchdog dog = new StallWatchdog(timeout, System::currentTimeMillis);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("stall-watchdog"));
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            String stall = dog.check(lag.measure());
            if (stall != null) {
              LOG.error(
                  "{}; exiting with code {} so that a supervisor restarts the pipeline from its committed offsets",
                  stall, EXIT_STALLED);
              timer.shutdown();
              onStall.run();
            }
          } catch (Exception e) {
            LOG.debug("Lag not measured, nothing judged: {}", e.toString());
          }
        },
        every.getMillis(),
        every.getMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One measurement; a description of the stall, or null while offsets move or nothing waits. */
  String check(List<ConsumerLag.PartitionLag> partitions) {
    long now = clock.getAsLong();
    StringBuilder stalled = new StringBuilder();
    for (ConsumerLag.PartitionLag p : partitions) {
      if (p.records() == 0) {
        behindSince.remove(p.partition());
        continue;
      }
      long[] seen = behindSince.get(p.partition());
      if (seen == null || seen[0] != p.committed()) {
        behindSince.put(p.partition(), new long[] {p.committed(), now});
      } else if (now - seen[1] >= timeout.getMillis()) {
        stalled.append(stalled.length() == 0 ? "" : ", ")
            .append("partition ").append(p.partition()).append(" (committed ").append(p.committed())
            .append(", ").append(p.records()).append(" records waiting)");
      }
    }
    return stalled.length() == 0
        ? null
        : "Committed offsets have not moved for " + timeout.getStandardSeconds() + " s: " + stalled;
  }
}
