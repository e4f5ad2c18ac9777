package io.loginenrichment.users;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where users come from: a full scan for the side input, and a point lookup for stragglers. */
public interface UsersTable extends Serializable {

  /**
   * Names this table within a JVM, so that every copy of it (runners deserialize one per DoFn
   * instance) shares one {@link UsersSnapshots} entry.
   */
  String snapshotKey();

  /** Every user, {@code login_id -> user_name} (the name may be null). */
  Map<String, @Nullable String> loadAll() throws Exception;

  /** One user, read now; empty if there is no such user. */
  Optional<KnownUser> find(String loginId) throws Exception;

  /**
   * {@link #find} without blocking the caller, so many lookups can be in flight at once. The
   * default runs {@link #find} on the calling thread.
   */
  default CompletableFuture<Optional<KnownUser>> findAsync(String loginId) {
    try {
      return CompletableFuture.completedFuture(find(loginId));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A user that exists; its name may be null. */
  record KnownUser(String loginId, @Nullable String userName) implements Serializable {}
}
