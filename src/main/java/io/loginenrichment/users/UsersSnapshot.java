package io.loginenrichment.users;

import java.util.Collections;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The users table as loaded at one refresh, {@code login_id -> user_name}; {@code version} counts
 * this JVM's loads. A user whose name is null in Cassandra is still a known user (present with a
 * null name), not an unknown one.
 */
public record UsersSnapshot(long version, Instant loadedAt, Map<String, @Nullable String> names) {

  public UsersSnapshot {
    names = Collections.unmodifiableMap(names);
  }

  public boolean contains(String loginId) {
    return names.containsKey(loginId);
  }

  public @Nullable String nameOf(String loginId) {
    return names.get(loginId);
  }

  public int size() {
    return names.size();
  }

  @Override
  public String toString() {
    return "UsersSnapshot{version=" + version + ", loadedAt=" + loadedAt + ", users=" + names.size() + "}";
  }
}
