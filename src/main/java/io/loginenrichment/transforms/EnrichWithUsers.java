package io.loginenrichment.transforms;

import io.loginenrichment.metrics.PipelineMetrics;
import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.KnownLogin;
import io.loginenrichment.users.UsersSnapshot;
import io.loginenrichment.users.UsersSnapshots;
import io.loginenrichment.users.UsersTable;
import io.loginenrichment.users.UsersTable.KnownUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Inner join of logins with the users side input, in a {@link DeadLetterLane}: each login comes
 * out as a {@link KnownLogin} (login_id, user_name, created time, and the record it came from) or
 * as an {@code unknown_user} dead letter; dead letters already in the lane pass through. Element
 * timestamps and windows are unchanged.
 *
 * <p>The side input says when the users were last asked to be reloaded; the users themselves come
 * from this JVM's {@link UsersSnapshots}, which loads the table off the processing path. A bundle
 * waits for a reload at most {@code loadWait}, and not at all when the last load took longer: the
 * previous snapshot serves meanwhile.
 *
 * <p>A login_id missing from the snapshot is looked up in the users table before it is called
 * unknown: there is no snapshot until the first load ends, and a user created since the last
 * refresh is real. Answers are
 * kept for the whole JVM until a newer snapshot arrives. A failed lookup throws, so the bundle is retried rather
 * than a valid login being dead-lettered.
 *
 * <p>Lookups run asynchronously, up to {@value JoinFn#MAX_LOOKUPS_IN_FLIGHT} at once, and the
 * logins waiting for them are emitted when the bundle finishes: on the SparkRunner the first
 * micro-batches see an empty view, and one blocking round trip per distinct user made those
 * batches several times slower than the rest.
 */
public final class EnrichWithUsers extends PTransform<PCollection<RawUnionValue>, PCollection<RawUnionValue>> {

  private final PCollectionView<Iterable<Instant>> refreshes;
  private final UsersTable table;
  private final Duration loadWait;

  public EnrichWithUsers(PCollectionView<Iterable<Instant>> refreshes, UsersTable table, Duration loadWait) {
    this.refreshes = refreshes;
    this.table = table;
    this.loadWait = loadWait;
  }

  @Override
  public PCollection<RawUnionValue> expand(PCollection<RawUnionValue> logins) {
    return logins
        .apply("JoinUsers", ParDo.of(new JoinFn(refreshes, table, loadWait)).withSideInputs(refreshes))
        .setCoder(DeadLetterLane.coder(KnownLogin.CODER));
  }

  static final class JoinFn extends DoFn<RawUnionValue, RawUnionValue> {
    static final int MAX_LOOKUPS_IN_FLIGHT = 128;

    /** A login waiting for its user's lookup, with where it must be emitted. */
    private record Waiting(LoginEvent login, Instant timestamp, BoundedWindow window) {}

    private final PCollectionView<Iterable<Instant>> refreshes;
    private final UsersTable table;
    private final Duration loadWait;
    private transient UsersSnapshots snapshots;
    private transient Map<String, CompletableFuture<Optional<KnownUser>>> inFlight;
    private transient List<Waiting> waiting;
    private transient Semaphore permits;

    JoinFn(PCollectionView<Iterable<Instant>> refreshes, UsersTable table, Duration loadWait) {
      this.refreshes = refreshes;
      this.table = table;
      this.loadWait = loadWait;
    }

    @Setup
    public void setup() {
      snapshots = UsersSnapshots.of(table);
      snapshots.request(null); // start loading before the first login needs it
      permits = new Semaphore(MAX_LOOKUPS_IN_FLIGHT);
    }

    @StartBundle
    public void startBundle() {
      inFlight = new HashMap<>();
      waiting = new ArrayList<>();
    }

    @ProcessElement
    public void process(ProcessContext c, BoundedWindow window) throws Exception {
      if (DeadLetterLane.isDeadLetter(c.element())) {
        c.output(c.element());
        return;
      }
      LoginEvent login = (LoginEvent) c.element().getValue();
      UsersSnapshot snapshot = snapshots.snapshotFor(newest(c.sideInput(refreshes)), loadWait);
      String id = login.loginId();
      if (snapshot != null && snapshot.contains(id)) {
        emit(known -> c.output(DeadLetterLane.value(known)), login, snapshot.nameOf(id));
        return;
      }
      Optional<KnownUser> cached = snapshots.lookedUp(id);
      if (cached != null) {
        route(
            known -> c.output(DeadLetterLane.value(known)),
            dl -> c.output(DeadLetterLane.deadLetter(dl)),
            login,
            cached);
        return;
      }
      inFlight.computeIfAbsent(id, this::startLookup);
      waiting.add(new Waiting(login, c.timestamp(), window));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws Exception {
      for (Waiting w : waiting) {
        String id = w.login().loginId();
        Optional<KnownUser> user = inFlight.get(id).get(); // a failure fails the bundle, which is retried
        snapshots.rememberLookup(id, user);
        route(
            row -> c.output(DeadLetterLane.value(row), w.timestamp(), w.window()),
            dl -> c.output(DeadLetterLane.deadLetter(dl), w.timestamp(), w.window()),
            w.login(),
            user);
      }
      waiting.clear();
      inFlight.clear();
      snapshots.reportLoads();
    }

    private CompletableFuture<Optional<KnownUser>> startLookup(String id) {
      PipelineMetrics.USER_LOOKUPS.inc();
      permits.acquireUninterruptibly();
      CompletableFuture<Optional<KnownUser>> found = table.findAsync(id);
      found.whenComplete((user, error) -> permits.release());
      return found;
    }

    private static void route(
        Consumer<KnownLogin> known, Consumer<DeadLetter> deadLetters, LoginEvent login, Optional<KnownUser> user) {
      if (user.isPresent()) {
        emit(known, login, user.get().userName());
      } else {
        deadLetters.accept(unknownUser(login));
      }
    }

    private static DeadLetter unknownUser(LoginEvent login) {
      return DeadLetter.of(
          Reason.UNKNOWN_USER,
          "no user with login_id " + login.loginId() + " in the users table",
          login.source(),
          login.rawValue());
    }

    private static void emit(Consumer<KnownLogin> out, LoginEvent login, @Nullable String name) {
      PipelineMetrics.LOGINS_KNOWN.inc();
      out.accept(
          new KnownLogin(
              new LastLogin(login.loginId(), name, login.createdTime()), login.source().partition(), login.source().offset()));
    }

    private static @Nullable Instant newest(Iterable<Instant> refreshRequests) {
      Instant newest = null;
      for (Instant r : refreshRequests) {
        newest = newest == null || r.isAfter(newest) ? r : newest;
      }
      return newest;
    }
  }
}
