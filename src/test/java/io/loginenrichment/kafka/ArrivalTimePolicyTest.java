package io.loginenrichment.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class ArrivalTimePolicyTest {
  static final Duration DELAY = Duration.standardSeconds(3);
  static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  final AtomicLong wallClock = new AtomicLong(NOW.getMillis());
  final ArrivalTimePolicy.Clock clock = ignored -> new Instant(wallClock.get());

  ArrivalTimePolicy policy(Optional<Instant> previous) {
    return (ArrivalTimePolicy)
        ArrivalTimePolicy.factory(clock, DELAY).createTimestampPolicy(null, previous);
  }

  void wallClockMovesBy(Duration d) {
    wallClock.addAndGet(d.getMillis());
  }

  @Test
  void recordsAreStampedWithTheWallClockMinusTheDelay() {
    ArrivalTimePolicy p = policy(Optional.empty());
    assertThat(p.getTimestampForRecord(null, null)).isEqualTo(NOW.minus(DELAY));
    wallClockMovesBy(Duration.standardSeconds(5));
    assertThat(p.getTimestampForRecord(null, null)).isEqualTo(NOW.plus(Duration.standardSeconds(2)));
  }

  @Test
  void noRecordReadAfterAWatermarkIsBehindIt() {
    // Two policies stand for two splits (on two executors): whichever reports, what any other
    // one reads afterwards is at or after that watermark. This is what the SparkRunner's
    // maximum-over-splits watermark needs.
    ArrivalTimePolicy fast = policy(Optional.empty());
    ArrivalTimePolicy slow = policy(Optional.empty());
    for (int batch = 0; batch < 20; batch++) {
      Instant reported = fast.getWatermark((TimestampPolicy.PartitionContext) null);
      wallClockMovesBy(Duration.millis(700));
      assertThat(slow.getTimestampForRecord(null, null)).isGreaterThanOrEqualTo(reported);
    }
  }

  @Test
  void anIdlePartitionStillAdvances() {
    ArrivalTimePolicy p = policy(Optional.empty());
    Instant first = p.getWatermark(null);
    wallClockMovesBy(Duration.standardMinutes(1));
    assertThat(p.getWatermark(null)).isEqualTo(first.plus(Duration.standardMinutes(1)));
  }

  @Test
  void theWatermarkNeverMovesBackwards() {
    Instant restored = NOW.plus(Duration.standardMinutes(1));
    ArrivalTimePolicy p = policy(Optional.of(restored));
    assertThat(p.getWatermark(null)).isEqualTo(restored);
    assertThat(p.getTimestampForRecord(null, null)).isEqualTo(restored);
    wallClockMovesBy(Duration.standardSeconds(-30));
    assertThat(p.getWatermark(null)).isEqualTo(restored);
  }
}
