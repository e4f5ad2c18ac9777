package io.loginenrichment.tools;

import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.Session;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.options.OptionChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Prepares servers for the pipeline, idempotently: applies {@code schema.cql}, creates the input
 * and dead-letter topics if missing, and loads users from a CSV. Every user row is written with
 * {@code USING TIMESTAMP} = its last_login, the same convention the pipeline writes with, so a
 * seed load never hides a newer login and a re-run changes nothing.
 */
public final class LocalSetup {
  static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private LocalSetup() {}

  public interface Options extends LoginEnrichmentOptions {
    @Description("CQL file creating the keyspace and users table (written for spark_db.users)")
    @Default.String("pipelines/login-enrichment/schema.cql")
    String getSchemaFile();

    void setSchemaFile(String value);

    @Description("Users to load, CSV with header login_id,user_name,last_login; empty: none")
    @Default.String("pipelines/login-enrichment/users.csv")
    String getUsersCsv();

    void setUsersCsv(String value);

    @Description("Partitions of the input topic when it has to be created")
    @Default.Integer(4)
    int getInputPartitions();

    void setInputPartitions(int value);
  }

  public static void main(String[] args) throws Exception {
    Options o = OptionChecks.parseOrExit(args, Options.class, LocalSetup::check);
    run(o);
  }

  /** Its own options' rules, beside the pipeline's. */
  static void check(Options o) {
    OptionChecks.readableFile("schemaFile", o.getSchemaFile(), false);
    OptionChecks.readableFile("usersCsv", o.getUsersCsv(), true);
    OptionChecks.atLeast("inputPartitions", o.getInputPartitions(), 1);
  }

  public static void run(Options o) throws IOException, InterruptedException, ExecutionException {
    CassandraConnection cassandra = CassandraConnection.fromOptions(o);
    KafkaConnection kafka = KafkaConnection.fromOptions(o);
    createTopics(kafka, Map.of(o.getInputTopic(), o.getInputPartitions(), o.getDeadLetterTopic(), 1));
    try (Cluster cluster = cassandra.buildCluster(); Session session = cluster.connect()) {
      applySchema(session, cassandra, Path.of(o.getSchemaFile()));
      if (!o.getUsersCsv().isEmpty()) {
        int n = loadUsers(session, cassandra, readUsersCsv(Path.of(o.getUsersCsv())));
        System.out.printf("Loaded %d users into %s%n", n, cassandra.qualifiedUsersTable());
      }
    }
  }

  /** Runs each statement of the schema, retargeted to the configured keyspace and table. */
  public static void applySchema(Session session, CassandraConnection c, Path schemaFile) throws IOException {
    String cql =
        Files.readString(schemaFile, StandardCharsets.UTF_8)
            .replaceAll("(?m)--.*$", "")
            .replace("spark_db.users", c.qualifiedUsersTable())
            .replaceAll("\\bspark_db\\b", c.keyspace());
    for (String statement : cql.split(";")) {
      if (!statement.isBlank()) {
        session.execute(statement.trim());
      }
    }
    session.getCluster().getMetadata().checkSchemaAgreement();
  }

  public static void createTopics(KafkaConnection kafka, Map<String, Integer> partitions)
      throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(withBootstrap(kafka))) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      partitions.forEach(
          (topic, n) -> {
            if (!existing.contains(topic)) {
              missing.add(new NewTopic(topic, n, (short) 1));
            }
          });
      for (NewTopic t : missing) {
        try {
          admin.createTopics(List.of(t)).all().get();
          System.out.printf("Created topic %s (%d partitions)%n", t.name(), t.numPartitions());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  static Map<String, Object> withBootstrap(KafkaConnection kafka) {
    Map<String, Object> props = kafka.clientProperties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  public record SeedUser(String loginId, String userName, java.time.Instant lastLogin) {}

  public static List<SeedUser> readUsersCsv(Path csv) throws IOException {
    List<SeedUser> users = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 3) {
        throw new IllegalArgumentException(csv + ": expected login_id,user_name,last_login in '" + line + "'");
      }
      users.add(
          new SeedUser(
              f[0].trim(),
              f[1].trim(),
              LocalDateTime.parse(f[2].trim(), CSV_TIME).toInstant(ZoneOffset.UTC)));
    }
    return users;
  }

  /** Inserts users asynchronously, at most 256 in flight. */
  public static int loadUsers(Session session, CassandraConnection c, List<SeedUser> users) {
    PreparedStatement insert =
        session.prepare(
            "INSERT INTO "
                + c.qualifiedUsersTable()
                + " (login_id, user_name, last_login) VALUES (?, ?, ?) USING TIMESTAMP ?");
    List<com.datastax.driver.core.ResultSetFuture> pending = new ArrayList<>();
    for (SeedUser u : users) {
      pending.add(
          session.executeAsync(
              insert.bind(u.loginId(), u.userName(), Date.from(u.lastLogin()), u.lastLogin().toEpochMilli() * 1000)));
      if (pending.size() >= 256) {
        pending.forEach(com.datastax.driver.core.ResultSetFuture::getUninterruptibly);
        pending.clear();
      }
    }
    pending.forEach(com.datastax.driver.core.ResultSetFuture::getUninterruptibly);
    return users.size();
  }
}
