package io.loginenrichment.cassandra;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.Session;
import io.loginenrichment.util.JvmShutdown;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One driver session per connection per JVM, shared by every DoFn instance: opening a Cluster
 * costs hundreds of milliseconds and several threads, far too much per bundle. Closed when the JVM
 * exits.
 */
public final class SharedSessions {
  private static final ConcurrentMap<CassandraConnection, Session> SESSIONS = new ConcurrentHashMap<>();

  static {
    JvmShutdown.onExit("cassandra-close", () -> SESSIONS.values().forEach(s -> s.getCluster().close()));
  }

  private record Statement(CassandraConnection connection, String cql) {}

  private static final ConcurrentMap<Statement, PreparedStatement> PREPARED = new ConcurrentHashMap<>();

  private SharedSessions() {}

  /** A statement prepared once per JVM on the shared session (preparing again is a server round trip). */
  public static PreparedStatement prepare(CassandraConnection connection, String cql) {
    return PREPARED.computeIfAbsent(new Statement(connection, cql), k -> get(connection).prepare(cql));
  }

  public static Session get(CassandraConnection connection) {
    return SESSIONS.computeIfAbsent(
        connection,
        c -> {
          Cluster cluster = c.buildCluster();
          try {
            return cluster.connect();
          } catch (RuntimeException e) {
            cluster.close();
            throw e;
          }
        });
  }
}
