package io.loginenrichment.options;


import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

public interface CassandraOptions extends PipelineOptions {
  @Description("Cassandra contact points, comma separated")
  @Default.String("127.0.0.1")
  String getCassandraHosts();

  void setCassandraHosts(String value);

  @Description("Cassandra native protocol port")
  @Default.Integer(9042)
  int getCassandraPort();

  void setCassandraPort(int value);

  @Description("Local datacenter for load balancing (empty: let the driver choose)")
  @Default.String("datacenter1")
  String getCassandraLocalDc();

  void setCassandraLocalDc(String value);

  @Description("Cassandra username (or env CASSANDRA_USERNAME)")
  String getCassandraUsername();

  void setCassandraUsername(String value);

  // Not serialized with the options (see KafkaOptions#getKafkaPassword).
  @JsonIgnore
  @Description("Cassandra password (or env CASSANDRA_PASSWORD; prefer the environment)")
  String getCassandraPassword();

  void setCassandraPassword(String value);

  @Description("Consistency level of reads and writes")
  @Default.String("LOCAL_QUORUM")
  String getCassandraConsistency();

  void setCassandraConsistency(String value);

  @Description(
      "How long a failed write is retried with backoff while Cassandra is unreachable, before the"
          + " bundle fails and the runner retries it")
  @Default.String("10m")
  String getCassandraWriteRetryTimeout();

  void setCassandraWriteRetryTimeout(String value);

  @Description(
      "How rows are written: SHARED_SESSION (one driver session per JVM, the default) or"
          + " CASSANDRA_IO (Beam's CassandraIO writer, which opens and closes a Cluster per bundle:"
          + " about 2 s per close, paid per partition per micro-batch on Spark)")
  @Default.Enum("SHARED_SESSION")
  CassandraWriter getCassandraWriter();

  void setCassandraWriter(CassandraWriter value);

  @Description("Keyspace of the users table")
  @Default.String("spark_db")
  String getKeyspace();

  void setKeyspace(String value);

  @Description("Users table: login_id text PRIMARY KEY, user_name text, last_login timestamp")
  @Default.String("users")
  String getUsersTable();

  void setUsersTable(String value);

  @Description("How often the users side input is reloaded from Cassandra (e.g. 60s, 5m)")
  @Default.String("60s")
  String getUsersRefreshInterval();

  void setUsersRefreshInterval(String value);

  @Description(
      "How long a batch waits for a users reload in progress before it carries on with the previous"
          + " snapshot (users missing from it are looked up one by one); a reload that took longer last"
          + " time is not waited for")
  @Default.String("2s")
  String getUsersLoadWait();

  void setUsersLoadWait(String value);
}
