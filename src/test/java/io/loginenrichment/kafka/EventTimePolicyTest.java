package io.loginenrichment.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.transforms.LoginEventParser;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimePolicyTest {
  static final Duration DELAY = Duration.standardSeconds(10);
  static final Instant T = Instant.parse("2020-09-20T10:00:00Z");
  static final LoginEventParser PARSER =
      new LoginEventParser(ZoneOffset.UTC, Duration.standardMinutes(5), 65536, Clock.systemUTC());

  EventTimePolicy policy() {
    return new EventTimePolicy(PARSER, DELAY, Optional.empty());
  }

  @Test
  void onTimeEventsKeepTheirEventTimeAndDriveTheWatermark() {
    EventTimePolicy p = policy();
    assertThat(p.timestampFor(T)).isEqualTo(T);
    assertThat(p.timestampFor(T.plus(Duration.standardSeconds(30)))).isEqualTo(T.plus(Duration.standardSeconds(30)));
    assertThat(p.advanceWatermark(false, T)).isEqualTo(T.plus(Duration.standardSeconds(20)));
  }

  @Test
  void outOfOrderWithinTheDelayKeepsItsEventTime() {
    EventTimePolicy p = policy();
    p.timestampFor(T.plus(Duration.standardSeconds(30)));
    p.advanceWatermark(false, T);
    Instant slightlyOlder = T.plus(Duration.standardSeconds(25));
    assertThat(p.timestampFor(slightlyOlder)).isEqualTo(slightlyOlder);
  }

  @Test
  void anEventBehindTheWatermarkIsStampedWithTheWatermarkNeverBehindIt() {
    EventTimePolicy p = policy();
    p.timestampFor(T.plus(Duration.standardMinutes(5)));
    Instant watermark = p.advanceWatermark(false, T);
    assertThat(p.timestampFor(T)).isEqualTo(watermark);
    assertThat(p.timestampFor(Instant.parse("2019-01-01T00:00:00Z"))).isEqualTo(watermark);
  }

  @Test
  void anIdlePartitionAdvancesToTheBacklogCheckTime() {
    EventTimePolicy p = policy();
    assertThat(p.advanceWatermark(false, T)).isEqualTo(BoundedWindow.TIMESTAMP_MIN_VALUE);
    Instant now = Instant.parse("2026-11-29T00:00:00Z");
    assertThat(p.advanceWatermark(true, now)).isEqualTo(now.minus(DELAY));
  }

  @Test
  void theWatermarkNeverMovesBackwards() {
    EventTimePolicy p = new EventTimePolicy(PARSER, DELAY, Optional.of(T));
    p.timestampFor(T.minus(Duration.standardHours(1)));
    assertThat(p.advanceWatermark(false, T)).isEqualTo(T);
    assertThat(p.timestampFor(null)).isEqualTo(T);
  }
}
