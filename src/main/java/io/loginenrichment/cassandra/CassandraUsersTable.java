package io.loginenrichment.cassandra;

import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.ResultSet;
import com.datastax.driver.core.ResultSetFuture;
import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.SimpleStatement;
import io.loginenrichment.users.UsersTable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The users table in Cassandra: a paged full scan and a prepared point lookup. */
public final class CassandraUsersTable implements UsersTable {
  private static final int PAGE_SIZE = 5_000;

  private final CassandraConnection connection;

  public CassandraUsersTable(CassandraConnection connection) {
    this.connection = connection;
  }

  @Override
  public String snapshotKey() {
    return "cassandra " + connection.hosts() + ":" + connection.port() + " " + connection.qualifiedUsersTable();
  }

  @Override
  public Map<String, @Nullable String> loadAll() {
    Session session = SharedSessions.get(connection);
    SimpleStatement scan =
        new SimpleStatement("SELECT login_id, user_name FROM " + connection.qualifiedUsersTable());
    scan.setFetchSize(PAGE_SIZE);
    Map<String, @Nullable String> users = new HashMap<>();
    for (Row row : session.execute(scan)) {
      users.put(row.getString(0), row.getString(1));
    }
    return users;
  }

  @Override
  public Optional<KnownUser> find(String loginId) {
    return toUser(SharedSessions.get(connection).execute(findById().bind(loginId)));
  }

  @Override
  public CompletableFuture<Optional<KnownUser>> findAsync(String loginId) {
    CompletableFuture<Optional<KnownUser>> result = new CompletableFuture<>();
    ResultSetFuture rs = SharedSessions.get(connection).executeAsync(findById().bind(loginId));
    rs.addListener(
        () -> {
          try {
            result.complete(toUser(rs.getUninterruptibly()));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        },
        Runnable::run);
    return result;
  }

  private PreparedStatement findById() {
    return SharedSessions.prepare(
        connection, "SELECT login_id, user_name FROM " + connection.qualifiedUsersTable() + " WHERE login_id = ?");
  }

  private static Optional<KnownUser> toUser(ResultSet rs) {
    Row row = rs.one();
    return row == null ? Optional.empty() : Optional.of(new KnownUser(row.getString(0), row.getString(1)));
  }
}
