package io.loginenrichment.testing;

import io.loginenrichment.cassandra.LastLoginUpsertMapper;
import io.loginenrichment.model.LastLogin;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Cassandra does with our upserts, for tests without a server: a cell keeps the value with
 * the highest write timestamp (ties keep the larger value). Seed rows are written with their
 * last_login as write timestamp, as the bootstrap does.
 */
public final class LastWriteWinsTable {
  static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Map<String, String> names = new TreeMap<>();
  private final Map<String, Long> lastLogin = new TreeMap<>();
  private final Map<String, Long> writeTime = new TreeMap<>();

  public static LastWriteWinsTable fromCsv(String resource) {
    LastWriteWinsTable t = new LastWriteWinsTable();
    for (String[] row : Fixtures.csv(resource)) {
      long millis = LocalDateTime.parse(row[2], FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
      t.names.put(row[0], row[1]);
      t.lastLogin.put(row[0], millis);
      t.writeTime.put(row[0], millis * 1000);
    }
    return t;
  }

  public LastWriteWinsTable upsert(Iterable<LastLogin> rows) {
    for (LastLogin row : rows) {
      long ts = LastLoginUpsertMapper.writeTimestampMicros(row);
      Long current = writeTime.get(row.loginId());
      long value = row.lastLogin().getMillis();
      if (current == null
          || ts > current
          || (ts == current && value > lastLogin.getOrDefault(row.loginId(), Long.MIN_VALUE))) {
        writeTime.put(row.loginId(), ts);
        lastLogin.put(row.loginId(), value);
      }
    }
    return this;
  }

  /** Rows as {@code login_id,user_name,last_login}, sorted by login_id. */
  public List<String> asCsvRows() {
    List<String> out = new ArrayList<>();
    lastLogin.forEach(
        (id, millis) ->
            out.add(
                id + "," + names.get(id) + ","
                    + FORMAT.format(java.time.Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC))));
    return out;
  }
}
