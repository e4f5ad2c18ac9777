package io.loginenrichment.users;

import io.loginenrichment.metrics.PipelineMetrics;
import io.loginenrichment.util.DaemonThreads;
import io.loginenrichment.util.JvmShutdown;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This JVM's copy of one users table, reloaded in the background when a refresh is requested.
 *
 * <p>Why not the side input itself: the SparkRunner broadcasts a side input's whole content every
 * micro-batch and each task decodes it, and it loads the table inside a micro-batch. With
 * 1,000,000 users that was ~20 MB per batch and a 20-30 s scan on the batch's path, and the stream
 * stalled. The side input now carries only when a refresh was asked for; each JVM (each Spark
 * executor, the DirectRunner's one JVM) keeps one snapshot here, shared by all its tasks.
 *
 * <p>A refresh is covered by a load that was asked for because of it, or that started after it
 * was asked for (so a load started at start-up also covers the first tick). Loads of one table
 * never overlap: a request made while a load runs is served by one load queued after it. A failed
 * load keeps the previous snapshot. Loads finish on a background thread, where Beam metrics have
 * no home; {@link #reportLoads()} counts them from a DoFn, each load once, in whichever DoFn of
 * this JVM calls it first.
 */
public final class UsersSnapshots {
  private static final Logger LOG = LoggerFactory.getLogger(UsersSnapshots.class);
  private static final String NS = PipelineMetrics.NAMESPACE;
  private static final Counter LOADS = Metrics.counter(NS, "users_loads");
  private static final Counter FAILURES = Metrics.counter(NS, "users_load_failures");
  private static final Gauge LOADED = Metrics.gauge(NS, "users_loaded");
  private static final Distribution LOAD_MILLIS = Metrics.distribution(NS, "users_load_millis");

  private static final Map<String, UsersSnapshots> BY_TABLE = new ConcurrentHashMap<>();
  private static final ExecutorService LOADER =
      Executors.newCachedThreadPool(DaemonThreads.named("users-snapshot-loader"));
  private static final Instant NEVER = new Instant(Long.MIN_VALUE);
  private static final int MAX_LOOKUPS_KEPT = 100_000;

  /** This JVM's snapshots of {@code table}. */
  public static UsersSnapshots of(UsersTable table) {
    return BY_TABLE.computeIfAbsent(table.snapshotKey(), k -> new UsersSnapshots(table));
  }

  private final UsersTable table;
  private final AtomicLong versions = new AtomicLong();
  private final Queue<Outcome> unreported = new ConcurrentLinkedQueue<>();
  private final Map<String, Optional<UsersTable.KnownUser>> lookedUp = new ConcurrentHashMap<>();
  private volatile @Nullable UsersSnapshot current;
  private volatile long lastLoadMillis = -1;
  private @Nullable Load latest;
  private Instant covered = NEVER;

  private UsersSnapshots(UsersTable table) {
    this.table = table;
  }

  /** The newest snapshot loaded so far; null before the first successful load. */
  public @Nullable UsersSnapshot current() {
    return current;
  }

  /**
   * Starts a load for a refresh asked for at {@code requestedAt} unless one covers it already;
   * null asks only for some snapshot (the first load, if none was asked for yet).
   */
  public synchronized Load request(@Nullable Instant requestedAt) {
    Load last = latest;
    if (last != null && (requestedAt == null || !requestedAt.isAfter(covered))) {
      return last;
    }
    if (requestedAt != null && requestedAt.isAfter(covered)) {
      covered = requestedAt;
    }
    if (last != null && !last.started) {
      return last; // queued behind a running load: it will read the table after this request
    }
    Load next = new Load();
    latest = next;
    CompletableFuture<?> before = last == null ? CompletableFuture.completedFuture(null) : last.done;
    before.handleAsync((ignored, error) -> load(next), LOADER);
    return next;
  }

  /**
   * The snapshot to use for a refresh asked for at {@code requestedAt}: starts its load if
   * needed and waits for it up to {@code maxWait} after the load was asked for, so a fast reload is
   * seen at once and tests are deterministic. A reload known to take longer than that is not
   * waited for at all: the previous snapshot serves until it is done. Null if no load has
   * succeeded yet.
   */
  public @Nullable UsersSnapshot snapshotFor(@Nullable Instant requestedAt, Duration maxWait) {
    Load load = request(requestedAt);
    if (!load.done.isDone() && (current == null || lastLoadMillis <= maxWait.getMillis())) {
      long remaining = load.askedNanos + TimeUnit.MILLISECONDS.toNanos(maxWait.getMillis()) - System.nanoTime();
      if (remaining > 0) {
        try {
          load.done.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // Carry on with the previous snapshot; a failure is logged and counted by the load.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return current;
  }

  /**
   * A point lookup's answer for a login_id missing from the snapshot, kept for every task of this
   * JVM until the next snapshot (Spark deserializes DoFns per task, so a per-instance cache was
   * empty every micro-batch, and before a large table's first load each batch looked up every
   * user again). Null if not looked up since.
   */
  public @Nullable Optional<UsersTable.KnownUser> lookedUp(String loginId) {
    return lookedUp.get(loginId);
  }

  /** Keeps a point lookup's answer until the next snapshot. */
  public void rememberLookup(String loginId, Optional<UsersTable.KnownUser> user) {
    if (lookedUp.size() >= MAX_LOOKUPS_KEPT) {
      lookedUp.clear();
    }
    lookedUp.put(loginId, user);
  }

  /** Counts the loads finished since the last call in the calling DoFn's metrics. */
  public void reportLoads() {
    for (Outcome o = unreported.poll(); o != null; o = unreported.poll()) {
      if (o.users < 0) {
        FAILURES.inc();
      } else {
        LOADS.inc();
        LOADED.set(o.users);
        LOAD_MILLIS.update(o.millis);
      }
    }
  }

  private Void load(Load load) {
    synchronized (this) {
      load.started = true;
      Instant now = Instant.now();
      if (now.isAfter(covered)) {
        covered = now;
      }
    }
    long version = versions.incrementAndGet();
    long start = System.nanoTime();
    try {
      UsersSnapshot snapshot = new UsersSnapshot(version, Instant.now(), table.loadAll());
      long millis = (System.nanoTime() - start) / 1_000_000;
      current = snapshot;
      lookedUp.clear();
      lastLoadMillis = millis;
      unreported.add(new Outcome(snapshot.size(), millis));
      LOG.info("Loaded {} users in {} ms (load #{} in this JVM)", snapshot.size(), millis, version);
      load.done.complete(snapshot);
    } catch (Throwable e) {
      // Keep serving the previous snapshot: a flaky Cassandra must not stop the stream.
      unreported.add(new Outcome(-1, (System.nanoTime() - start) / 1_000_000));
      if (JvmShutdown.inProgress()) {
        // A stop during a load (class initialisation, the driver's threads) is no Cassandra fault.
        LOG.info("Users load #{} ended by the JVM's shutdown: {}", version, e.toString(), e);
      } else {
        LOG.warn("Users load #{} failed, keeping the previous snapshot: {}", version, e.toString(), e);
      }
      load.done.completeExceptionally(e);
    }
    return null;
  }

  /** One load of the table, asked for at {@link #askedNanos}. */
  public static final class Load {
    final long askedNanos = System.nanoTime();
    final CompletableFuture<UsersSnapshot> done = new CompletableFuture<>();
    volatile boolean started;

    /** Whether the load has finished, well or not. */
    public boolean isDone() {
      return done.isDone();
    }
  }

  /** A finished load: its size, or -1 if it failed. */
  private record Outcome(int users, long millis) {}
}
