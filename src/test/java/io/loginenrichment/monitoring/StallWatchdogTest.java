package io.loginenrichment.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.kafka.ConsumerLag.PartitionLag;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchdogTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final StallWatchdog dog = new StallWatchdog(Duration.standardSeconds(60), now::get);

  private static PartitionLag lag(int partition, long committed, long records) {
    return new PartitionLag(partition, committed + records, committed, records, 0);
  }

  private void after(long seconds) {
    now.addAndGet(seconds * 1000);
  }

  @Test
  void offsetsStuckBehindWaitingRecordsForTheTimeoutAreAStall() {
    assertThat(dog.check(List.of(lag(0, 100, 50), lag(1, 80, 0)))).isNull();
    after(59);
    assertThat(dog.check(List.of(lag(0, 100, 60), lag(1, 80, 0)))).isNull();
    after(1);
    assertThat(dog.check(List.of(lag(0, 100, 70), lag(1, 80, 0))))
        .contains("partition 0 (committed 100, 70 records waiting)")
        .doesNotContain("partition 1");
  }

  @Test
  void offsetsThatMoveAreNoStallHoweverLongTheBacklog() {
    long committed = 0;
    for (int i = 0; i < 20; i++) {
      assertThat(dog.check(List.of(lag(0, committed, 1_000_000)))).isNull();
      committed += 10;
      after(30);
    }
  }

  @Test
  void nothingWaitingIsNoStallEvenIfNothingMoves() {
    for (int i = 0; i < 5; i++) {
      assertThat(dog.check(List.of(lag(0, 100, 0)))).isNull();
      after(60);
    }
  }

  @Test
  void aPartitionThatCaughtUpStartsItsClockAgainWhenRecordsWaitOnceMore() {
    dog.check(List.of(lag(0, 100, 5)));
    after(50);
    dog.check(List.of(lag(0, 100, 0)));
    after(20);
    assertThat(dog.check(List.of(lag(0, 100, 5)))).isNull();
    after(59);
    assertThat(dog.check(List.of(lag(0, 100, 5)))).isNull();
    after(1);
    assertThat(dog.check(List.of(lag(0, 100, 5)))).isNotNull();
  }
}
