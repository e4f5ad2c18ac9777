package io.loginenrichment.cassandra;

import io.loginenrichment.model.LastLogin;
import org.apache.beam.sdk.io.cassandra.CassandraIO;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Rows in; idempotent, order-proof upserts of {@code last_login} into the users table out (see
 * {@link LastLoginUpsertMapper}). Transient failures are retried with backoff for up to {@code
 * retryTimeout}; after that the write fails the bundle, which the runner retries, and replaying a
 * write is harmless.
 *
 * <p>Two writers run the same mapper. {@link Writer#SHARED_SESSION} uses one driver session per
 * JVM. {@link Writer#CASSANDRA_IO} is Beam's CassandraIO, which builds a Cluster in {@code @Setup}
 * and closes it in {@code @Teardown}; closing waits about 2 s for the driver's event loops, and
 * the SparkRunner tears DoFns down per partition per micro-batch, so every micro-batch that fires
 * windows stalled for seconds (measured by the benchmark's writer stage).
 */
public final class WriteLastLogin extends PTransform<PCollection<LastLogin>, PDone> {
  /** Which writer runs the upserts. */
  public enum Writer {
    SHARED_SESSION,
    CASSANDRA_IO
  }

  private static final int MAX_IN_FLIGHT = 256;

  private final CassandraConnection connection;
  private final Duration retryTimeout;
  private final Writer writer;

  public WriteLastLogin(CassandraConnection connection, Duration retryTimeout) {
    this(connection, retryTimeout, Writer.SHARED_SESSION);
  }

  public WriteLastLogin(CassandraConnection connection, Duration retryTimeout, Writer writer) {
    this.connection = connection;
    this.retryTimeout = retryTimeout;
    this.writer = writer;
  }

  @Override
  public PDone expand(PCollection<LastLogin> rows) {
    if (writer == Writer.SHARED_SESSION) {
      rows.apply("SharedSessionUpsert", ParDo.of(new SharedSessionUpsertFn(connection, retryTimeout, MAX_IN_FLIGHT)));
      return PDone.in(rows.getPipeline());
    }
    CassandraIO.Write<LastLogin> write =
        CassandraIO.<LastLogin>write()
            .withHosts(connection.hosts())
            .withPort(connection.port())
            .withKeyspace(connection.keyspace())
            .withConsistencyLevel(connection.consistencyLevel())
            // Required by CassandraIO's validation even though the custom mapper does the work.
            .withEntity(LastLogin.class)
            .withMapperFactoryFn(LastLoginUpsertMapper.factory(connection.qualifiedUsersTable(), retryTimeout));
    if (connection.localDc() != null && !connection.localDc().isEmpty()) {
      write = write.withLocalDc(connection.localDc());
    }
    if (connection.username() != null) {
      write = write.withUsername(connection.username()).withPassword(connection.password());
    }
    return rows.apply("CassandraUpsert", write);
  }

  /**
   * The mapper on the JVM's shared session, at most {@code maxInFlight} writes outstanding; a
   * bundle completes only when all its writes are acknowledged, so the runner's retry of a failed
   * bundle covers every write in it.
   */
  static final class SharedSessionUpsertFn extends DoFn<LastLogin, Void> {
    private final CassandraConnection connection;
    private final Duration retryTimeout;
    private final int maxInFlight;
    private transient LastLoginUpsertMapper mapper;
    private transient List<Future<Void>> pending;

    SharedSessionUpsertFn(CassandraConnection connection, Duration retryTimeout, int maxInFlight) {
      this.connection = connection;
      this.retryTimeout = retryTimeout;
      this.maxInFlight = maxInFlight;
    }

    @Setup
    public void setup() {
      mapper =
          new LastLoginUpsertMapper(
              SharedSessions.get(connection),
              SharedSessions.prepare(connection, LastLoginUpsertMapper.upsertCql(connection.qualifiedUsersTable())),
              retryTimeout);
    }

    @StartBundle
    public void startBundle() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element LastLogin row) throws InterruptedException, ExecutionException {
      pending.add(mapper.saveAsync(row));
      if (pending.size() >= maxInFlight) {
        awaitPending();
      }
    }

    @FinishBundle
    public void finishBundle() throws InterruptedException, ExecutionException {
      awaitPending();
    }

    private void awaitPending() throws InterruptedException, ExecutionException {
      try {
        for (Future<Void> write : pending) {
          write.get();
        }
      } finally {
        pending.clear();
      }
    }
  }
}
