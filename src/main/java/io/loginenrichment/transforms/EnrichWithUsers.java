package io.loginenrichment.transforms;

import io.loginenrichment.deadletter.DeadLetter;
import io.loginenrichment.deadletter.Reason;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.users.UsersSnapshot;
import io.loginenrichment.users.UsersTable;
import io.loginenrichment.users.UsersTable.KnownUser;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Inner join of logins with the users side input: {@link #KNOWN} (login_id, user_name, created
 * time) and {@link #DEAD_LETTERS} ({@code unknown_user}) out, element timestamps unchanged.
 *
 * <p>A login_id missing from the newest snapshot is looked up in the users table before it is
 * called unknown: the side input is empty until its first load on some runners (the SparkRunner
 * starts with an empty view), and a user created since the last refresh is real. Answers are
 * cached until a newer snapshot arrives. A failed lookup throws, so the bundle is retried rather
 * than a valid login being dead-lettered.
 */
public final class EnrichWithUsers extends PTransform<PCollection<LoginEvent>, PCollectionTuple> {

  public static final TupleTag<LastLogin> KNOWN = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final PCollectionView<Iterable<UsersSnapshot>> users;
  private final UsersTable table;

  public EnrichWithUsers(PCollectionView<Iterable<UsersSnapshot>> users, UsersTable table) {
    this.users = users;
    this.table = table;
  }

  @Override
  public PCollectionTuple expand(PCollection<LoginEvent> logins) {
    return logins.apply(
        "JoinUsers",
        ParDo.of(new JoinFn(users, table))
            .withSideInputs(users)
            .withOutputTags(KNOWN, TupleTagList.of(DEAD_LETTERS)));
  }

  static final class JoinFn extends DoFn<LoginEvent, LastLogin> {
    private static final int MAX_CACHED_LOOKUPS = 10_000;

    private final PCollectionView<Iterable<UsersSnapshot>> users;
    private final UsersTable table;
    private transient @Nullable UsersSnapshot current;
    private transient Map<String, Optional<KnownUser>> lookups;

    JoinFn(PCollectionView<Iterable<UsersSnapshot>> users, UsersTable table) {
      this.users = users;
      this.table = table;
    }

    @Setup
    public void setup() {
      lookups = new HashMap<>();
    }

    @ProcessElement
    public void process(ProcessContext c, MultiOutputReceiver out) throws Exception {
      LoginEvent login = c.element();
      UsersSnapshot snapshot = newestSnapshot(c.sideInput(users));
      String id = login.loginId();
      if (snapshot != null && snapshot.contains(id)) {
        emit(out, login, snapshot.nameOf(id));
        return;
      }
      Optional<KnownUser> user = lookup(id);
      if (user.isPresent()) {
        emit(out, login, user.get().userName());
      } else {
        out.get(DEAD_LETTERS)
            .output(
                DeadLetter.of(
                    Reason.UNKNOWN_USER,
                    "no user with login_id " + id + " in the users table",
                    login.source(),
                    login.rawValue()));
      }
    }

    private static void emit(MultiOutputReceiver out, LoginEvent login, @Nullable String name) {
      PipelineMetrics.LOGINS_KNOWN.inc();
      out.get(KNOWN).output(new LastLogin(login.loginId(), name, login.createdTime()));
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

    private Optional<KnownUser> lookup(String id) throws Exception {
      Optional<KnownUser> cached = lookups.get(id);
      if (cached != null) {
        return cached;
      }
      PipelineMetrics.USER_LOOKUPS.inc();
      Optional<KnownUser> found = table.find(id);
      if (lookups.size() >= MAX_CACHED_LOOKUPS) {
        lookups.clear();
      }
      lookups.put(id, found);
      return found;
    }
  }
}
