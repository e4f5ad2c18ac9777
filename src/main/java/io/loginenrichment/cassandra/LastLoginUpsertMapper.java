package io.loginenrichment.cassandra;

import io.loginenrichment.metrics.PipelineMetrics;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.io.cassandra.Mapper;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Duration;

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

  private static final Counter SESSIONS_OPENED =
      Metrics.counter(PipelineMetrics.NAMESPACE, "cassandra_sessions_opened");
  private static final Counter RETRIES = Metrics.counter(PipelineMetrics.NAMESPACE, "cassandra_write_retries");
  // Retries happen on driver threads, where Beam metrics cannot be updated; they are counted here
  // and reported by the next write on the DoFn's thread.
  private static final AtomicLong UNREPORTED_RETRIES = new AtomicLong();

  private final Session session;
  private final PreparedStatement upsert;
  private final Duration retryTimeout;

  LastLoginUpsertMapper(Session session, PreparedStatement upsert, Duration retryTimeout) {
    this.session = session;
    this.upsert = upsert;
    this.retryTimeout = retryTimeout;
  }

  /** The factory handed to {@code CassandraIO.write().withMapperFactoryFn}. */
  public static SerializableFunction<Session, Mapper> factory(String qualifiedTable, Duration retryTimeout) {
    return new Factory(qualifiedTable, retryTimeout);
  }

  public static String upsertCql(String qualifiedTable) {
    return "UPDATE " + qualifiedTable + " USING TIMESTAMP ? SET last_login = ? WHERE login_id = ?";
  }

  /** Cassandra write timestamps are microseconds since the epoch. */
  public static long writeTimestampMicros(LastLogin row) {
    return row.lastLogin().getMillis() * 1000L;
  }

  /** The write, retried with backoff while Cassandra is unreachable (see {@link RetryingWrites}). */
  @Override
  public Future<Void> saveAsync(LastLogin row) {
    long retried = UNREPORTED_RETRIES.getAndSet(0);
    if (retried > 0) {
      RETRIES.inc(retried);
    }
    return RetryingWrites.retry(
        () ->
            Futures.transform(
                session.executeAsync(
                    upsert.bind(writeTimestampMicros(row), new Date(row.lastLogin().getMillis()), row.loginId())),
                (ResultSet ignored) -> (Void) null,
                MoreExecutors.directExecutor()),
        retryTimeout,
        UNREPORTED_RETRIES::incrementAndGet);
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
    private final Duration retryTimeout;

    Factory(String qualifiedTable, Duration retryTimeout) {
      this.qualifiedTable = qualifiedTable;
      this.retryTimeout = retryTimeout;
    }

    @Override
    public Mapper apply(Session session) {
      PreparedStatement upsert =
          PREPARED.computeIfAbsent(
              session,
              s -> {
                SESSIONS_OPENED.inc(); // each new session is a Cluster CassandraIO opened
                return s.prepare(upsertCql(qualifiedTable));
              });
      return new LastLoginUpsertMapper(session, upsert, retryTimeout);
    }
  }
}
