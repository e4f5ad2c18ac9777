package io.loginenrichment.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** This JVM's users snapshots: one load per refresh, off the caller's path, bounded waits. */
class UsersSnapshotsTest {
  private final GatedTable table = new GatedTable();

  @AfterEach
  void openTheGate() {
    table.gate().countDown();
  }

  @Test
  void aRefreshIsLoadedOnceHoweverManyTasksAskForIt() throws Exception {
    table.gate().countDown();
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    Instant refresh = Instant.now();
    for (int i = 0; i < 5; i++) {
      assertThat(snapshots.snapshotFor(refresh, Duration.standardSeconds(5))).isNotNull();
    }
    // The copy another DoFn instance deserialized shares the same snapshots.
    assertThat(UsersSnapshots.of(table.copy())).isSameAs(snapshots);
    assertThat(table.loads()).isEqualTo(1);
  }

  @Test
  void aLoadStartedAfterARefreshWasAskedForCoversIt() throws Exception {
    table.gate().countDown();
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    Instant tick = Instant.now();
    Thread.sleep(5);
    snapshots.snapshotFor(null, Duration.standardSeconds(5)); // the start-up load, before any tick arrived
    snapshots.snapshotFor(tick, Duration.standardSeconds(5));
    assertThat(table.loads()).isEqualTo(1);
    snapshots.snapshotFor(Instant.now().plus(Duration.millis(1)), Duration.standardSeconds(5));
    assertThat(table.loads()).isEqualTo(2);
  }

  @Test
  void refreshesAskedForDuringALoadShareOneLoadQueuedBehindIt() throws Exception {
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    table.put("a", "first");
    UsersSnapshots.Load running = snapshots.request(Instant.now());
    table.awaitLoadStarted();
    table.put("a", "second"); // changed after the running load read the table
    UsersSnapshots.Load queued = snapshots.request(Instant.now().plus(Duration.millis(1)));
    assertThat(snapshots.request(Instant.now().plus(Duration.millis(2)))).isSameAs(queued);
    assertThat(queued).isNotSameAs(running);
    table.gate().countDown();
    assertThat(snapshots.snapshotFor(Instant.now().minus(Duration.standardHours(1)), Duration.standardSeconds(5)))
        .isNotNull();
    awaitDone(queued);
    assertThat(table.loads()).isEqualTo(2);
    assertThat(snapshots.current().nameOf("a")).isEqualTo("second");
  }

  @Test
  void aSlowFirstLoadIsWaitedForOnlyUpToTheWaitThenTheCallerCarriesOn() {
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    long t0 = System.nanoTime();
    assertThat(snapshots.snapshotFor(null, Duration.millis(200))).isNull();
    long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(waitedMillis).isBetween(150L, 5_000L);
  }

  @Test
  void aReloadSlowerThanTheWaitLastTimeIsNotWaitedForThePreviousSnapshotServes() throws Exception {
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    table.put("a", "old");
    table.delayMillis(1_500); // longer than the wait below
    table.gate().countDown();
    awaitDone(snapshots.request(Instant.now()));
    table.resetGate();
    table.put("a", "new");
    UsersSnapshots.Load reload = snapshots.request(Instant.now().plus(Duration.millis(1)));
    long t0 = System.nanoTime();
    UsersSnapshot served = snapshots.snapshotFor(Instant.now(), Duration.standardSeconds(1));
    assertThat(served.nameOf("a")).isEqualTo("old");
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isLessThan(500);
    assertThat(reload.isDone()).isFalse();
    table.gate().countDown();
    awaitDone(reload);
    assertThat(snapshots.current().nameOf("a")).isEqualTo("new");
  }

  @Test
  void aFailedLoadKeepsThePreviousSnapshot() throws Exception {
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    table.put("a", "kept");
    table.gate().countDown();
    UsersSnapshot first = snapshots.snapshotFor(Instant.now(), Duration.standardSeconds(5));
    table.failNext();
    UsersSnapshots.Load failing = snapshots.request(Instant.now().plus(Duration.millis(1)));
    awaitDone(failing);
    assertThat(snapshots.current()).isSameAs(first);
    assertThat(first.nameOf("a")).isEqualTo("kept");
  }

  private static void awaitDone(UsersSnapshots.Load load) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!load.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(load.isDone()).isTrue();
  }

  /** A table whose scans wait for a gate, count themselves, and can be made to fail once. */
  static final class GatedTable implements UsersTable {
    private static final Map<String, State> STATES = new ConcurrentHashMap<>();

    private static final class State {
      final Map<String, String> users = new ConcurrentHashMap<>();
      final AtomicInteger loads = new AtomicInteger();
      final CountDownLatch started = new CountDownLatch(1);
      volatile CountDownLatch gate = new CountDownLatch(1);
      volatile long delayMillis;
      volatile boolean failNext;
    }

    private final String id;

    GatedTable() {
      this(UUID.randomUUID().toString());
      STATES.put(id, new State());
    }

    private GatedTable(String id) {
      this.id = id;
    }

    GatedTable copy() {
      return new GatedTable(id);
    }

    private State state() {
      return STATES.get(id);
    }

    CountDownLatch gate() {
      return state().gate;
    }

    void resetGate() {
      state().gate = new CountDownLatch(1);
    }

    void put(String id, String name) {
      state().users.put(id, name);
    }

    void delayMillis(long millis) {
      state().delayMillis = millis;
    }

    void failNext() {
      state().failNext = true;
    }

    int loads() {
      return state().loads.get();
    }

    void awaitLoadStarted() throws InterruptedException {
      assertThat(state().started.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    public String snapshotKey() {
      return "gated " + id;
    }

    @Override
    public Map<String, @Nullable String> loadAll() throws Exception {
      State s = state();
      s.loads.incrementAndGet();
      s.started.countDown();
      Thread.sleep(s.delayMillis);
      if (!s.gate.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
      if (s.failNext) {
        s.failNext = false;
        throw new IllegalStateException("users table unavailable (test)");
      }
      return Map.copyOf(s.users);
    }

    @Override
    public Optional<KnownUser> find(String loginId) {
      return Optional.ofNullable(state().users.get(loginId)).map(n -> new KnownUser(loginId, n));
    }
  }
}
