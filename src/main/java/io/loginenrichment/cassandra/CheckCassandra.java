package io.loginenrichment.cassandra;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.KeyspaceMetadata;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.exceptions.AuthenticationException;
import com.datastax.driver.core.exceptions.NoHostAvailableException;
import com.datastax.driver.core.exceptions.UnauthorizedException;
import io.loginenrichment.util.ServerCheckException;

/**
 * Before the pipeline starts: Cassandra answers, accepts the credentials, has the users table and
 * lets this user read it. Without this, each failure shows up as retries inside a worker.
 */
public final class CheckCassandra {
  private CheckCassandra() {}

  public static void check(CassandraConnection cassandra) {
    String where = "Cassandra at " + cassandra.hosts() + ":" + cassandra.port();
    Cluster cluster = cassandra.buildCluster();
    try (Session session = cluster.connect()) {
      KeyspaceMetadata keyspace = cluster.getMetadata().getKeyspace(cassandra.keyspace());
      if (keyspace == null || keyspace.getTable(cassandra.usersTable()) == null) {
        throw new ServerCheckException(
            where + " has no table " + cassandra.qualifiedUsersTable()
                + " (create it, e.g. with io.loginenrichment.tools.LocalSetup, or fix --keyspace/--usersTable)");
      }
      session.execute("SELECT login_id FROM " + cassandra.qualifiedUsersTable() + " LIMIT 1");
    } catch (AuthenticationException e) {
      throw new ServerCheckException(
          where + " rejected the credentials of user '" + cassandra.username() + "': " + e.getMessage()
              + " (check --cassandraUsername/--cassandraPassword or CASSANDRA_USERNAME/CASSANDRA_PASSWORD)");
    } catch (UnauthorizedException e) {
      throw new ServerCheckException(
          where + ": user '" + cassandra.username() + "' may not read " + cassandra.qualifiedUsersTable()
              + " (it needs SELECT and MODIFY on it): " + e.getMessage());
    } catch (NoHostAvailableException e) {
      throw new ServerCheckException(
          where + " is not reachable (is it running? are --cassandraHosts/--cassandraPort right?): " + e.getMessage());
    } finally {
      // Closing a driver 3.x Cluster takes about 2 s; nothing waits for it.
      cluster.closeAsync();
    }
  }
}
