package io.loginenrichment.bench;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Row;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.SimpleStatement;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.tools.LocalSetup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** The benchmark's handle on the real servers: its own keyspace, tables and topics, reset per run. */
final class BenchServers implements AutoCloseable {
  final KafkaConnection kafka;
  final CassandraConnection cassandra;
  private final Cluster cluster;
  final Session session;

  BenchServers(KafkaConnection kafka, CassandraConnection cassandra) {
    this.kafka = kafka;
    this.cassandra = cassandra;
    this.cluster = cassandra.buildCluster();
    this.session = cluster.connect();
    session.execute(
        "CREATE KEYSPACE IF NOT EXISTS " + cassandra.keyspace()
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  }

  CassandraConnection table(String name) {
    return new CassandraConnection(
        cassandra.hosts(), cassandra.port(), cassandra.localDc(), cassandra.username(), cassandra.password(),
        cassandra.consistencyLevel(), cassandra.keyspace(), name);
  }

  /** Drops and recreates a users table, then loads {@code users} with {@code lastLogin}. */
  CassandraConnection resetTable(String name, Map<String, String> users, Instant lastLogin) {
    CassandraConnection t = table(name);
    session.execute("DROP TABLE IF EXISTS " + t.qualifiedUsersTable());
    session.execute(
        "CREATE TABLE " + t.qualifiedUsersTable()
            + " (login_id text PRIMARY KEY, user_name text, last_login timestamp)");
    cluster.getMetadata().checkSchemaAgreement();
    List<LocalSetup.SeedUser> rows = new ArrayList<>(users.size());
    users.forEach((id, userName) -> rows.add(new LocalSetup.SeedUser(id, userName, lastLogin)));
    LocalSetup.loadUsers(session, t, rows);
    return t;
  }

  /** login_id -> last_login of every row of a table. */
  Map<String, Instant> lastLogins(CassandraConnection table) {
    SimpleStatement scan = new SimpleStatement("SELECT login_id, last_login FROM " + table.qualifiedUsersTable());
    scan.setFetchSize(5_000);
    Map<String, Instant> out = new HashMap<>();
    for (Row r : session.execute(scan)) {
      Date d = r.getTimestamp(1);
      out.put(r.getString(0), d == null ? null : d.toInstant());
    }
    return out;
  }

  /** A fresh input topic of 4 partitions and its dead-letter topic (the pipeline checks both exist). */
  void resetTopics(String topic) throws InterruptedException, ExecutionException {
    resetTopic(topic, 4);
    resetTopic(topic + "-dlq", 1);
  }

  /** Deletes a topic if it exists and creates it empty. */
  void resetTopic(String topic, int partitions) throws InterruptedException, ExecutionException {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      if (admin.listTopics().names().get().contains(topic)) {
        admin.deleteTopics(List.of(topic)).all().get();
        // Deletion completes asynchronously on the broker.
        for (int i = 0; i < 100 && admin.listTopics().names().get().contains(topic); i++) {
          Thread.sleep(200);
        }
      }
      for (int attempt = 0; ; attempt++) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
          return;
        } catch (ExecutionException e) {
          if (attempt >= 50) {
            throw e;
          }
          Thread.sleep(200); // still being deleted
        }
      }
    }
  }

  @Override
  public void close() {
    session.close();
    cluster.close();
  }
}
