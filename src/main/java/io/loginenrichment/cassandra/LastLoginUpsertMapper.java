package io.loginenrichment.cassandra;

import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.ResultSet;
import com.datastax.driver.core.Session;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.loginenrichment.model.LastLogin;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Future;
import org.apache.beam.sdk.io.cassandra.Mapper;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * CassandraIO's write path for {@link LastLogin}: {@code UPDATE ... USING TIMESTAMP <event time
 * in micros> SET last_login = ?}. Cassandra keeps the cell with the highest write timestamp, so a
 * replayed, late or out-of-order older login can never overwrite a newer one, whatever order the
 * writes land in, and a replay of the same login is a no-op. Only {@code last_login} is written.
 */
public final class LastLoginUpsertMapper implements Mapper<LastLogin> {

  // CassandraIO calls the factory per element; prepare once per session.
  private static final Map<Session, PreparedStatement> PREPARED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Session session;
  private final PreparedStatement upsert;

  LastLoginUpsertMapper(Session session, PreparedStatement upsert) {
    this.session = session;
    this.upsert = upsert;
  }

  /** The factory handed to {@code CassandraIO.write().withMapperFactoryFn}. */
  public static SerializableFunction<Session, Mapper> factory(String qualifiedTable) {
    return new Factory(qualifiedTable);
  }

  public static String upsertCql(String qualifiedTable) {
    return "UPDATE " + qualifiedTable + " USING TIMESTAMP ? SET last_login = ? WHERE login_id = ?";
  }

  /** Cassandra write timestamps are microseconds since the epoch. */
  public static long writeTimestampMicros(LastLogin row) {
    return row.lastLogin().getMillis() * 1000L;
  }

  @Override
  public Future<Void> saveAsync(LastLogin row) {
    return Futures.transform(
        session.executeAsync(
            upsert.bind(writeTimestampMicros(row), new Date(row.lastLogin().getMillis()), row.loginId())),
        (ResultSet ignored) -> null,
        MoreExecutors.directExecutor());
  }

  @Override
  public Future<Void> deleteAsync(LastLogin row) {
    throw new UnsupportedOperationException("the pipeline never deletes users");
  }

  @Override
  public Iterator<LastLogin> map(ResultSet resultSet) {
    throw new UnsupportedOperationException("write-only mapper");
  }

  private static final class Factory implements SerializableFunction<Session, Mapper> {
    private final String qualifiedTable;

    Factory(String qualifiedTable) {
      this.qualifiedTable = qualifiedTable;
    }

    @Override
    public Mapper apply(Session session) {
      PreparedStatement upsert =
          PREPARED.computeIfAbsent(session, s -> s.prepare(upsertCql(qualifiedTable)));
      return new LastLoginUpsertMapper(session, upsert);
    }
  }
}
