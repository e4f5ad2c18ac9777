package io.loginenrichment.cassandra;

import io.loginenrichment.options.CassandraWriter;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcedRow;
import io.loginenrichment.writing.AcknowledgedPositions;
import java.util.concurrent.ExecutionException;
import org.apache.beam.sdk.io.cassandra.CassandraIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.joda.time.Duration;

/**
 * Rows in; idempotent, order-proof upserts of {@code last_login} into the users table out (see
 * {@link LastLoginUpsertMapper}). Transient failures are retried with backoff for up to {@code
 * retryTimeout}; after that the write fails the bundle, which the runner retries, and replaying a
 * write is harmless.
 *
 * <p>Two writers run the same mapper. {@link CassandraWriter#SHARED_SESSION} uses one driver session per
 * JVM. {@link CassandraWriter#CASSANDRA_IO} is Beam's CassandraIO, which builds a Cluster in {@code @Setup}
 * and closes it in {@code @Teardown}; closing waits about 2 s for the driver's event loops, and
 * the SparkRunner tears DoFns down per partition per micro-batch, so every micro-batch that fires
 * windows stalled for seconds (measured by the benchmark's writer stage).
 *
 * <p>Out come the source positions of every login a written row stands for, once its write is
 * acknowledged, so their offsets can be committed. CassandraIO reports nothing back: with it the
 * output stays empty and offsets must be committed on read.
 */
public final class WriteLastLogin extends PTransform<PCollection<SourcedRow>, PCollection<SourceOffsets>> {
  private static final int MAX_IN_FLIGHT = 256;

  private final CassandraConnection connection;
  private final Duration retryTimeout;
  private final CassandraWriter writer;

  public WriteLastLogin(CassandraConnection connection, Duration retryTimeout) {
    this(connection, retryTimeout, CassandraWriter.SHARED_SESSION);
  }

  public WriteLastLogin(CassandraConnection connection, Duration retryTimeout, CassandraWriter writer) {
    this.connection = connection;
    this.retryTimeout = retryTimeout;
    this.writer = writer;
  }

  @Override
  public PCollection<SourceOffsets> expand(PCollection<SourcedRow> sourcedRows) {
    if (writer == CassandraWriter.SHARED_SESSION) {
      return sourcedRows
          .apply("SharedSessionUpsert", ParDo.of(new SharedSessionUpsertFn(connection, retryTimeout, MAX_IN_FLIGHT)))
          .setCoder(SourceOffsets.CODER);
    }
    PCollection<LastLogin> rows =
        sourcedRows.apply("Rows", MapElements.into(TypeDescriptor.of(LastLogin.class)).via(SourcedRow::row));
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
    rows.apply("CassandraUpsert", write);
    return rows.apply("NothingReported", ParDo.of(new DoFn<LastLogin, SourceOffsets>() {
          @ProcessElement
          public void process() {}
        }))
        .setCoder(SourceOffsets.CODER);
  }

  /**
   * The mapper on the JVM's shared session, at most {@code maxInFlight} writes outstanding; a
   * bundle completes only when all its writes are acknowledged, so the runner's retry of a failed
   * bundle covers every write in it.
   */
  static final class SharedSessionUpsertFn extends DoFn<SourcedRow, SourceOffsets> {
    private final CassandraConnection connection;
    private final Duration retryTimeout;
    private final int maxInFlight;
    private transient LastLoginUpsertMapper mapper;
    private transient AcknowledgedPositions pending;

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
      pending = new AcknowledgedPositions(maxInFlight, WriteFreshness::record);
    }

    @ProcessElement
    public void process(
        @Element SourcedRow row, @Timestamp Instant timestamp, BoundedWindow window, OutputReceiver<SourceOffsets> out)
        throws InterruptedException, ExecutionException {
      pending.add(mapper.saveAsync(row.row()), row.sources(), timestamp, window, out);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws InterruptedException, ExecutionException {
      pending.finish(c);
    }
  }
}
