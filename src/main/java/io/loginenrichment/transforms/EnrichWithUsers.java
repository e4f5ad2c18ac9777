package io.loginenrichment.transforms;

import io.loginenrichment.deadletter.DeadLetter;
import io.loginenrichment.deadletter.Reason;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.KnownLogin;
import io.loginenrichment.users.UsersSnapshot;
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
 * <p>A login_id missing from the newest snapshot is looked up in the users table before it is
 * called unknown: the side input is empty until its first load on some runners (the SparkRunner
 * starts with an empty view), and a user created since the last refresh is real. Answers are
 * cached until a newer snapshot arrives. A failed lookup throws, so the bundle is retried rather
 * than a valid login being dead-lettered.
 *
 * <p>Lookups run asynchronously, up to {@value JoinFn#MAX_LOOKUPS_IN_FLIGHT} at once, and the
 * logins waiting for them are emitted when the bundle finishes: on the SparkRunner the first
 * micro-batches see an empty view, and one blocking round trip per distinct user made those
 * batches several times slower than the rest.
 */
public final class EnrichWithUsers extends PTransform<PCollection<RawUnionValue>, PCollection<RawUnionValue>> {

  private final PCollectionView<Iterable<UsersSnapshot>> users;
  private final UsersTable table;

  public EnrichWithUsers(PCollectionView<Iterable<UsersSnapshot>> users, UsersTable table) {
    this.users = users;
    this.table = table;
  }

  @Override
  public PCollection<RawUnionValue> expand(PCollection<RawUnionValue> logins) {
    return logins
        .apply("JoinUsers", ParDo.of(new JoinFn(users, table)).withSideInputs(users))
        .setCoder(DeadLetterLane.coder(KnownLogin.Coder.of()));
  }

  static final class JoinFn extends DoFn<RawUnionValue, RawUnionValue> {
    private static final int MAX_CACHED_LOOKUPS = 10_000;
    static final int MAX_LOOKUPS_IN_FLIGHT = 128;

    /** A login waiting for its user's lookup, with where it must be emitted. */
    private record Waiting(LoginEvent login, Instant timestamp, BoundedWindow window) {}

    private final PCollectionView<Iterable<UsersSnapshot>> users;
    private final UsersTable table;
    private transient @Nullable UsersSnapshot current;
    private transient Map<String, Optional<KnownUser>> lookups;
    private transient Map<String, CompletableFuture<Optional<KnownUser>>> inFlight;
    private transient List<Waiting> waiting;
    private transient Semaphore permits;

    JoinFn(PCollectionView<Iterable<UsersSnapshot>> users, UsersTable table) {
      this.users = users;
      this.table = table;
    }

    @Setup
    public void setup() {
      lookups = new HashMap<>();
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
      UsersSnapshot snapshot = newestSnapshot(c.sideInput(users));
      String id = login.loginId();
      if (snapshot != null && snapshot.contains(id)) {
        emit(known -> c.output(DeadLetterLane.value(known)), login, snapshot.nameOf(id));
        return;
      }
      Optional<KnownUser> cached = lookups.get(id);
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
        Optional<KnownUser> user = lookups.get(id);
        if (user == null) {
          user = inFlight.get(id).get(); // a failure fails the bundle, which is retried
          remember(id, user);
        }
        route(
            row -> c.output(DeadLetterLane.value(row), w.timestamp(), w.window()),
            dl -> c.output(DeadLetterLane.deadLetter(dl), w.timestamp(), w.window()),
            w.login(),
            user);
      }
      waiting.clear();
      inFlight.clear();
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

    private @Nullable UsersSnapshot newestSnapshot(Iterable<UsersSnapshot> panes) {
      UsersSnapshot newest = current;
      for (UsersSnapshot s : panes) {
        newest = UsersSnapshot.newest(newest, s);
      }
      if (newest != current) {
        current = newest;
        lookups.clear();
      }
      return newest;
    }

    private void remember(String id, Optional<KnownUser> found) {
      if (lookups.size() >= MAX_CACHED_LOOKUPS) {
        lookups.clear();
      }
      lookups.put(id, found);
    }
  }
}
