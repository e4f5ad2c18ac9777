package io.loginenrichment.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.CassandraUsersTable;
import io.loginenrichment.users.UsersSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.joda.time.Instant;

/**
 * One users snapshot loaded the way the pipeline loads it, in a JVM whose heap is capped at the
 * target: finishing at all shows the snapshot fits. Prints its figures as one JSON line.
 *
 * <p>Arguments: host port keyspace table.
 */
public final class SideInputLoad {
  private SideInputLoad() {}

  public static void main(String[] args) throws Exception {
    CassandraConnection c =
        new CassandraConnection(
            List.of(args[0]), Integer.parseInt(args[1]), "datacenter1", null, null, "LOCAL_QUORUM", args[2], args[3]);
    CassandraUsersTable table = new CassandraUsersTable(c);
    table.find("warm-up"); // connect first: the session is not part of the load
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    long t0 = System.nanoTime();
    UsersSnapshot snapshot = new UsersSnapshot(1, Instant.now(), table.loadAll());
    long loadMillis = (System.nanoTime() - t0) / 1_000_000;
    long peakDuringLoad = memory.getHeapMemoryUsage().getUsed();
    System.gc();
    long retained = memory.getHeapMemoryUsage().getUsed() - before;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", snapshot.size());
    out.put("load_s", loadMillis / 1000.0);
    out.put("retained_heap_mb", retained / (1024 * 1024));
    out.put("heap_used_after_load_mb", peakDuringLoad / (1024 * 1024));
    out.put("max_heap_mb", memory.getHeapMemoryUsage().getMax() / (1024 * 1024));
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(out));
    System.exit(0); // the shared session's threads would keep the JVM up
  }
}
