package io.loginenrichment.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.driver.core.exceptions.InvalidQueryException;
import com.datastax.driver.core.exceptions.NoHostAvailableException;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class RetryingWritesTest {
  static final NoHostAvailableException DOWN = new NoHostAvailableException(Map.of());

  /** Fails {@code failures} times with {@code error}, then succeeds. */
  static Supplier<ListenableFuture<String>> failing(int failures, RuntimeException error, AtomicInteger attempts) {
    return () ->
        attempts.incrementAndGet() <= failures
            ? Futures.immediateFailedFuture(error)
            : Futures.immediateFuture("written");
  }

  @Test
  void aWriteIsRetriedUntilCassandraIsBack() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger retries = new AtomicInteger();
    CompletableFuture<String> result =
        RetryingWrites.retry(failing(4, DOWN, attempts), Duration.standardSeconds(30), retries::incrementAndGet);
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("written");
    assertThat(attempts).hasValue(5);
    assertThat(retries).hasValue(4);
  }

  @Test
  void anInvalidQueryFailsAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        RetryingWrites.retry(
            failing(1, new InvalidQueryException("no such table"), attempts), Duration.standardSeconds(30), () -> {});
    assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InvalidQueryException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retriesStopAtTheTimeoutWithTheLastError() {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result =
        RetryingWrites.retry(failing(1_000, DOWN, attempts), Duration.millis(500), () -> {});
    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoHostAvailableException.class);
    assertThat(attempts.get()).isBetween(2, 6);
  }
}
