package io.loginenrichment.testing;

import io.loginenrichment.users.UsersTable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A users table in this JVM's memory. The runner serialises DoFns, so the content lives in a
 * static registry under an id, and a test can change it while the pipeline runs.
 */
public final class InMemoryUsersTable implements UsersTable {
  private static final Map<String, Map<String, @Nullable String>> TABLES = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();
  private static final Map<String, Boolean> FAILING = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();

  public InMemoryUsersTable(Map<String, @Nullable String> users) {
    TABLES.put(id, new ConcurrentHashMap<>());
    LOOKUPS.put(id, new AtomicInteger());
    users.forEach(this::put);
  }

  public static InMemoryUsersTable fromCsv(String resource) {
    Map<String, @Nullable String> users = new HashMap<>();
    for (String[] row : Fixtures.csv(resource)) {
      users.put(row[0], row[1]);
    }
    return new InMemoryUsersTable(users);
  }

  public void put(String loginId, @Nullable String name) {
    // ConcurrentHashMap refuses null values; a marker stands for a null name.
    TABLES.get(id).put(loginId, name == null ? NULL_NAME : name);
  }

  public void failLoads(boolean fail) {
    FAILING.put(id, fail);
  }

  public int pointLookups() {
    return LOOKUPS.get(id).get();
  }

  private static final String NULL_NAME = "\u0000null";

  @Override
  public String snapshotKey() {
    return "in-memory " + id;
  }

  @Override
  public Map<String, @Nullable String> loadAll() {
    if (FAILING.getOrDefault(id, false)) {
      throw new IllegalStateException("users table unavailable (test)");
    }
    Map<String, @Nullable String> copy = new HashMap<>();
    TABLES.get(id).forEach((k, v) -> copy.put(k, NULL_NAME.equals(v) ? null : v));
    return copy;
  }

  @Override
  public Optional<KnownUser> find(String loginId) {
    LOOKUPS.get(id).incrementAndGet();
    String name = TABLES.get(id).get(loginId);
    return name == null
        ? Optional.empty()
        : Optional.of(new KnownUser(loginId, NULL_NAME.equals(name) ? null : name));
  }
}
