package io.loginenrichment.cassandra;

import io.loginenrichment.util.DaemonThreads;
import com.datastax.driver.core.exceptions.AuthenticationException;
import com.datastax.driver.core.exceptions.DriverException;
import com.datastax.driver.core.exceptions.QueryValidationException;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.joda.time.Duration;

/**
 * Retries a Cassandra write with exponential backoff while the failure is transient (no host
 * available, timeouts, overload), for up to a total time; then the write fails and with it the
 * bundle, which the runner retries. A Cassandra restart of a few tens of seconds therefore slows
 * the pipeline down instead of failing it. Invalid queries and bad credentials fail at once.
 * Retrying is safe because every write is idempotent (timestamped upsert).
 */
public final class RetryingWrites {
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("cassandra-write-retry"));

  static final Duration FIRST_BACKOFF = Duration.millis(100);
  static final Duration MAX_BACKOFF = Duration.standardSeconds(10);

  private RetryingWrites() {}

  public static boolean isTransient(Throwable t) {
    return t instanceof DriverException
        && !(t instanceof QueryValidationException)
        && !(t instanceof AuthenticationException);
  }

  /** Runs {@code attempt} until it succeeds, fails for good, or {@code totalTimeout} has passed. */
  public static <T> CompletableFuture<T> retry(
      Supplier<ListenableFuture<T>> attempt, Duration totalTimeout, Runnable onRetry) {
    CompletableFuture<T> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + totalTimeout.getMillis() * 1_000_000L;
    run(attempt, result, deadline, FIRST_BACKOFF.getMillis(), onRetry);
    return result;
  }

  private static <T> void run(
      Supplier<ListenableFuture<T>> attempt,
      CompletableFuture<T> result,
      long deadline,
      long backoffMillis,
      Runnable onRetry) {
    ListenableFuture<T> future;
    try {
      future = attempt.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    Futures.addCallback(
        future,
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable error) {
            if (!isTransient(error) || System.nanoTime() + backoffMillis * 1_000_000L > deadline) {
              result.completeExceptionally(error);
              return;
            }
            onRetry.run();
            long next = Math.min(backoffMillis * 2, MAX_BACKOFF.getMillis());
            SCHEDULER.schedule(
                () -> run(attempt, result, deadline, next, onRetry), backoffMillis, TimeUnit.MILLISECONDS);
          }
        },
        MoreExecutors.directExecutor());
  }
}
