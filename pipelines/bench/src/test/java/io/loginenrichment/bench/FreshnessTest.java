package io.loginenrichment.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loginenrichment.tools.PipelineProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshnessTest {
  private static final int RATE = 2_000;
  private static final Freshness.Settings SETTINGS =
      new Freshness.Settings("freshness", "flink-local", null, List.of(), RATE, Duration.ofSeconds(180),
          Duration.ofSeconds(180), "1s", "60s", Duration.ofSeconds(30), true);

  private static PipelineProcess.Sample counted(long read, long committed) {
    return new PipelineProcess.Sample(0, Map.of("events_in", read, "offsets_committed", committed));
  }

  @Test
  void aPipelineWritingPerWindowHoldsAWindowAndItsOutOfOrdernessBack() {
    assertEquals(Duration.ofSeconds(31), Freshness.heldBack(List.of("--runner=FlinkRunner"), SETTINGS));
    assertEquals(
        Duration.ZERO, Freshness.heldBack(List.of("--runner=SparkRunner", "--latestLoginScope=BUNDLE"), SETTINGS));
  }

  @Test
  void perBundleTheCommittedOffsetsMustBeWithinTwoSecondsOfTheStream() {
    assertTrue(Freshness.caughtUp(counted(100_000, 97_000), 100_000, RATE, Duration.ZERO));
    assertFalse(Freshness.caughtUp(counted(100_000, 95_000), 100_000, RATE, Duration.ZERO));
    assertFalse(Freshness.caughtUp(counted(0, 0), 0, RATE, Duration.ZERO));
  }

  @Test
  void perWindowAWindowOfUncommittedLoginsIsCaughtUpButAReadBacklogIsNot() {
    Duration held = Duration.ofSeconds(31);
    // 30 s of logins waiting for their window to close: read, not yet written.
    assertTrue(Freshness.caughtUp(counted(199_000, 140_000), 200_000, RATE, held));
    // More than a window behind in committing.
    assertFalse(Freshness.caughtUp(counted(199_000, 130_000), 200_000, RATE, held));
    // Reading 10 s behind the stream.
    assertFalse(Freshness.caughtUp(counted(180_000, 150_000), 200_000, RATE, held));
  }
}
