package io.loginenrichment.original;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_timestamp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The design the Beam pipeline replaces, rebuilt for the benchmark: a Spark Structured Streaming
 * stream-static join of Kafka logins with the Cassandra users table, upserting last_login into the
 * same table. Deliberately as the original did it (no dedup, no ordering, a bad timestamp becomes
 * NULL), so the benchmark measures that design, not an improved one.
 *
 * <p>After every micro-batch it prints {@code COUNTERS {"t":..,"events_in":..,"batch":..}} on
 * stdout (cumulative rows read), the pipeline's own progress format, so the benchmark reads both
 * alike; it runs until killed.
 */
public final class OriginalDesignJob {

  private static final String CASSANDRA = "org.apache.spark.sql.cassandra";

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = parse(argv);
    String checkpointDir = a.get("checkpointDir");
    if (checkpointDir.isEmpty()) {
      throw new IllegalArgumentException("--checkpointDir is required (a fresh one per run)");
    }

    SparkSession spark =
        SparkSession.builder()
            .appName("original-design")
            .master(a.get("master"))
            .config("spark.cassandra.connection.host", a.get("cassandraHost"))
            .config("spark.cassandra.connection.port", a.get("cassandraPort"))
            // created_time carries no zone; the Beam pipeline reads it as UTC, so compare like
            // with like whatever the machine's zone is.
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false") // nobody looks at it; spares a port and a thread
            // The users side is not broadcast, so the join shuffles both sides into
            // spark.sql.shuffle.partitions reduce tasks. Spark's default 200 cost ~7 s of task
            // overhead per micro-batch on local[2] (5k-row batches: ~10 s with 200, ~3 s with 4).
            .config("spark.sql.shuffle.partitions", a.get("shufflePartitions"))
            .getOrCreate();

    StructType schema =
        new StructType()
            .add("login_id", DataTypes.StringType)
            .add("created_time", DataTypes.StringType);

    Dataset<Row> logins =
        spark
            .readStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", a.get("bootstrapServers"))
            .option("subscribe", a.get("topic")) // comma-separated list allowed
            .option("startingOffsets", a.get("startingOffsets"))
            .option("maxOffsetsPerTrigger", a.get("maxOffsetsPerTrigger"))
            .load()
            .select(from_json(col("value").cast("string"), schema).as("e"))
            .select(
                col("e.login_id").as("login_id"),
                to_timestamp(col("e.created_time"), "yyyy-MM-dd HH:mm:ss").as("last_login"));

    // Not cached: a stream-static join re-reads the static side every micro-batch, which is how the
    // original saw users added while it ran.
    Dataset<Row> users =
        spark
            .read()
            .format(CASSANDRA)
            .option("keyspace", a.get("keyspace"))
            .option("table", a.get("table"))
            .load()
            .select("login_id", "user_name");

    Dataset<Row> enriched =
        logins.join(users, "login_id").select("login_id", "user_name", "last_login");

    spark.streams().addListener(new ProgressPrinter());

    long triggerMillis = Long.parseLong(a.get("triggerMillis"));
    StreamingQuery query =
        enriched
            .writeStream()
            .format(CASSANDRA) // the connector's own streaming sink: one upsert per joined row
            .option("keyspace", a.get("keyspace"))
            .option("table", a.get("table"))
            .option("checkpointLocation", checkpointDir)
            .outputMode("append") // the only mode a stream-static join allows
            .trigger(Trigger.ProcessingTime(triggerMillis, TimeUnit.MILLISECONDS))
            .start();
    try {
      query.awaitTermination();
    } catch (StreamingQueryException e) {
      // Spark's non-daemon threads would keep a failed job's JVM alive, looking merely slow to the
      // benchmark: exit for real.
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** One stdout line per progress event; the benchmark reads them, so flush each one. */
  static final class ProgressPrinter extends StreamingQueryListener {
    // Events arrive on Spark's single listener-bus thread; atomic only to be safe to read anywhere.
    private final AtomicLong inputRows = new AtomicLong();

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      // Cumulative, so the benchmark only compares with the number of events it produced.
      long total = inputRows.addAndGet(event.progress().numInputRows());
      System.out.println(
          "COUNTERS {\"t\":" + System.currentTimeMillis() + ",\"events_in\":" + total
              + ",\"batch\":" + event.progress().batchId() + "}");
      System.out.flush();
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
  }

  /** {@code --name=value} arguments over defaults; unknown names fail fast (typos cost a bench run). */
  static Map<String, String> parse(String[] argv) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("bootstrapServers", "127.0.0.1:9092");
    a.put("topic", "logins");
    a.put("cassandraHost", "127.0.0.1");
    a.put("cassandraPort", "9042");
    a.put("keyspace", "spark_db");
    a.put("table", "users");
    a.put("checkpointDir", "");
    a.put("master", "local[2]");
    a.put("maxOffsetsPerTrigger", "50000");
    a.put("startingOffsets", "earliest");
    a.put("triggerMillis", "0");
    a.put("shufflePartitions", "4");
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (name == null || !a.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown argument '" + arg + "'; expected --name=value with name in " + a.keySet());
      }
      a.put(name, arg.substring(eq + 1));
    }
    return a;
  }
}
