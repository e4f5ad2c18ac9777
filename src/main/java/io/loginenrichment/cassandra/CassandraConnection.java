package io.loginenrichment.cassandra;

import java.util.Arrays;
import io.loginenrichment.util.Credentials;
import io.loginenrichment.options.CassandraOptions;
import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.ConsistencyLevel;
import com.datastax.driver.core.QueryOptions;
import com.datastax.driver.core.policies.DCAwareRoundRobinPolicy;
import com.datastax.driver.core.policies.ExponentialReconnectionPolicy;
import com.datastax.driver.core.policies.TokenAwarePolicy;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How to reach the users table. Identifiers are validated here, at the edge, because CQL cannot
 * bind keyspace or table names: they are the only parts of a statement not sent as bind values.
 * {@link #toString()} never shows the password.
 */
public record CassandraConnection(
    List<String> hosts,
    int port,
    @Nullable String localDc,
    @Nullable String username,
    @Nullable String password,
    String consistencyLevel,
    String keyspace,
    String usersTable)
    implements Serializable {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  public CassandraConnection {
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("at least one Cassandra host is required");
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("Cassandra port out of range: " + port);
    }
    requireIdentifier("keyspace", keyspace);
    requireIdentifier("users table", usersTable);
    ConsistencyLevel.valueOf(consistencyLevel); // fails fast on a typo
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("Cassandra username and password must be given together");
    }
  }

  private static void requireIdentifier(String what, String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid Cassandra " + what + " name '" + name + "': expected [A-Za-z][A-Za-z0-9_]{0,47}");
    }
  }

  /** {@code keyspace.table}, safe to put in CQL because both parts were validated. */
  public String qualifiedUsersTable() {
    return keyspace + "." + usersTable;
  }

  /**
   * A driver 3.x cluster (the driver CassandraIO uses). JMX reporting is off: with metrics-core
   * 4.x on the classpath (Spark brings it) the driver's JmxReporter class does not exist.
   */
  public Cluster buildCluster() {
    Cluster.Builder builder =
        Cluster.builder()
            .addContactPoints(hosts.toArray(String[]::new))
            .withPort(port)
            .withoutJMXReporting()
            // The default backoff grows to 10 minutes; after an outage, come back within seconds.
            .withReconnectionPolicy(new ExponentialReconnectionPolicy(500, 10_000))
            .withQueryOptions(
                new QueryOptions().setConsistencyLevel(ConsistencyLevel.valueOf(consistencyLevel)));
    if (localDc != null && !localDc.isEmpty()) {
      builder.withLoadBalancingPolicy(
          new TokenAwarePolicy(DCAwareRoundRobinPolicy.builder().withLocalDc(localDc).build()));
    }
    if (username != null && password != null) {
      builder.withCredentials(username, password);
    }
    return builder.build();
  }

  @Override
  public String toString() {
    return "CassandraConnection{hosts="
        + hosts
        + ", port="
        + port
        + ", localDc="
        + localDc
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "***")
        + ", consistency="
        + consistencyLevel
        + ", table="
        + qualifiedUsersTable()
        + "}";
  }

  /** From the options; a user name or password not given there comes from CASSANDRA_USERNAME / CASSANDRA_PASSWORD. */
  public static CassandraConnection fromOptions(CassandraOptions o) {
    return new CassandraConnection(
        Arrays.stream(o.getCassandraHosts().split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList(),
        o.getCassandraPort(),
        o.getCassandraLocalDc(),
        Credentials.firstGiven(o.getCassandraUsername(), System.getenv("CASSANDRA_USERNAME")),
        Credentials.firstGiven(o.getCassandraPassword(), System.getenv("CASSANDRA_PASSWORD")),
        o.getCassandraConsistency(),
        o.getKeyspace(),
        o.getUsersTable());
  }
}
