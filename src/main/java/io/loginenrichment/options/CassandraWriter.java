package io.loginenrichment.options;

/** Which writer runs the upserts. */
public enum CassandraWriter {
  SHARED_SESSION,
  CASSANDRA_IO
}
