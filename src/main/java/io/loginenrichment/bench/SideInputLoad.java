package io.loginenrichment.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.CassandraUsersTable;
import io.loginenrichment.users.UsersSnapshot;
import java.io.OutputStream;
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
    // What the SparkRunner serializes and broadcasts each micro-batch.
    CountingStream encoded = new CountingStream();
    long e0 = System.nanoTime();
    UsersSnapshot.Coder.of().encode(snapshot, encoded);
    long encodeMillis = (System.nanoTime() - e0) / 1_000_000;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", snapshot.size());
    out.put("load_s", loadMillis / 1000.0);
    out.put("retained_heap_mb", retained / (1024 * 1024));
    out.put("heap_used_after_load_mb", peakDuringLoad / (1024 * 1024));
    out.put("max_heap_mb", memory.getHeapMemoryUsage().getMax() / (1024 * 1024));
    out.put("encoded_mb", Drain.round1(encoded.count / (1024.0 * 1024)));
    out.put("encode_ms", encodeMillis);
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(out));
    System.exit(0); // the shared session's threads would keep the JVM up
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
