package io.loginenrichment.bench;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Session;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.LastLoginUpsertMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What CassandraIO's writer pays per bundle: it builds a Cluster, connects and (through our
 * mapper) prepares the upsert in {@code @Setup}, and closes it all in {@code @Teardown}, which the
 * SparkRunner runs per partition per micro-batch. Priced here by doing exactly that, then set
 * against the opens counted by a Spark drain that used CassandraIO's writer, whose rate is
 * compared with the default drain's (one shared session per JVM).
 */
final class WriterCost {
  private WriterCost() {}

  static Map<String, Object> run(
      CassandraConnection table, int opens, Map<String, Object> sharedSessionDrain, Map<String, Object> cassandraIoDrain) {
    long[] millis = new long[opens];
    long closeMillis = 0;
    for (int i = 0; i < opens; i++) {
      long t0 = System.nanoTime();
      Cluster cluster = table.buildCluster();
      Session session = cluster.connect(table.keyspace());
      session.prepare(LastLoginUpsertMapper.upsertCql(table.qualifiedUsersTable()));
      long t1 = System.nanoTime();
      session.close();
      cluster.close(); // CassandraIO's @Teardown closes synchronously too
      long t2 = System.nanoTime();
      millis[i] = (t2 - t0) / 1_000_000;
      closeMillis += (t2 - t1) / 1_000_000;
    }
    Arrays.sort(millis);
    double mean = Arrays.stream(millis).average().orElse(0);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cluster_open_ms_mean", Math.round(mean));
    r.put("cluster_open_ms_median", millis[opens / 2]);
    r.put("of_which_close_ms_mean", closeMillis / opens);
    if (cassandraIoDrain != null && cassandraIoDrain.containsKey("drain_s")) {
      long sessions = ((Number) cassandraIoDrain.getOrDefault("cassandra_sessions_opened", 0L)).longValue();
      double drainSeconds = ((Number) cassandraIoDrain.get("drain_s")).doubleValue();
      r.put("clusters_opened_during_drain", sessions);
      r.put("clusters_opened_per_s", Drain.round1(sessions / drainSeconds));
      // local[2]: two task slots, so the drain had 2 x drain_s of task time to spend.
      r.put("share_of_task_time_pct", Drain.round1(100.0 * sessions * mean / (2 * drainSeconds * 1000)));
      r.put("cassandra_io_events_per_s", cassandraIoDrain.get("events_per_s"));
      r.put("cassandra_io_table_correct", cassandraIoDrain.get("table_correct"));
    }
    if (sharedSessionDrain != null && sharedSessionDrain.containsKey("drain_s")) {
      r.put("shared_session_events_per_s", sharedSessionDrain.get("events_per_s"));
      r.put("shared_session_table_correct", sharedSessionDrain.get("table_correct"));
    }
    System.out.printf("[writer] %s%n", r);
    return r;
  }
}
