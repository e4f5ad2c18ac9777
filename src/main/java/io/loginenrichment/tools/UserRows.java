package io.loginenrichment.tools;

import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.SimpleStatement;
import io.loginenrichment.cassandra.CassandraConnection;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The users table read back, for people (the demo) and for tests. */
public final class UserRows {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private UserRows() {}

  public record UserRow(String loginId, @Nullable String userName, @Nullable Instant lastLogin) {
    public String toCsv() {
      return loginId + "," + userName + "," + (lastLogin == null ? "" : TIME.format(lastLogin));
    }
  }

  /** Every row, by login_id. */
  public static Map<String, UserRow> read(Session session, CassandraConnection c) {
    SimpleStatement scan =
        new SimpleStatement("SELECT login_id, user_name, last_login FROM " + c.qualifiedUsersTable());
    scan.setFetchSize(5_000);
    Map<String, UserRow> rows = new TreeMap<>();
    for (Row r : session.execute(scan)) {
      Date last = r.getTimestamp(2);
      rows.put(r.getString(0), new UserRow(r.getString(0), r.getString(1), last == null ? null : last.toInstant()));
    }
    return rows;
  }

  /** A small table for a terminal. */
  public static String format(Map<String, UserRow> rows, int limit) {
    StringBuilder sb = new StringBuilder(String.format("  %-12s %-16s %s%n", "login_id", "user_name", "last_login (UTC)"));
    rows.values().stream()
        .limit(limit)
        .forEach(
            r ->
                sb.append(
                    String.format(
                        "  %-12s %-16s %s%n",
                        r.loginId(),
                        r.userName(),
                        r.lastLogin() == null ? "-" : TIME.format(r.lastLogin()))));
    if (rows.size() > limit) {
      sb.append(String.format("  ... %d more%n", rows.size() - limit));
    }
    return sb.toString();
  }
}
