package io.loginenrichment.cassandra;

import io.loginenrichment.model.LastLogin;
import org.apache.beam.sdk.io.cassandra.CassandraIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Rows in; idempotent, order-proof upserts of {@code last_login} into the users table out (see
 * {@link LastLoginUpsertMapper}). Transient failures are retried with backoff for up to {@code
 * retryTimeout}; after that the write fails the bundle, which the runner retries, and replaying a
 * write is harmless.
 */
public final class WriteLastLogin extends PTransform<PCollection<LastLogin>, PDone> {
  private final CassandraConnection connection;
  private final Duration retryTimeout;

  public WriteLastLogin(CassandraConnection connection, Duration retryTimeout) {
    this.connection = connection;
    this.retryTimeout = retryTimeout;
  }

  @Override
  public PDone expand(PCollection<LastLogin> rows) {
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
}
