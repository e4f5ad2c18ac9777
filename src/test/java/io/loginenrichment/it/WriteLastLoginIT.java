package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.Row;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.cassandra.SharedSessions;
import io.loginenrichment.cassandra.WriteLastLogin;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcedRow;
import io.loginenrichment.options.CassandraWriter;
import io.loginenrichment.tools.LocalSetup.SeedUser;
import io.loginenrichment.tools.UserRows.UserRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rows in, upserts of last_login into the real users table and the positions of the written rows
 * out, on the DirectRunner. Each test uses its own login_ids in the scenario's table.
 */
@ExtendWith(TestPipelineExtension.class)
class WriteLastLoginIT {
  static final Duration RETRY_TIMEOUT = Duration.standardSeconds(10);
  static final java.time.Instant SEEDED = java.time.Instant.parse("2020-09-20T10:00:00Z");
  static final Instant BEFORE_SEED = Instant.parse("2020-09-20T09:00:00Z");
  static final Instant AFTER_SEED = Instant.parse("2020-09-20T10:00:30Z");
  static final Instant LATER_STILL = Instant.parse("2020-09-20T10:01:00Z");
  /** How many rows the positions test writes: enough that writes are still in flight at a bundle's end. */
  static final int MANY = 2_000;

  static RealServers servers;

  @BeforeAll
  static void servers() throws Exception {
    servers = new RealServers("writelastlogin", "direct");
  }

  @AfterAll
  static void close() {
    if (servers != null) {
      servers.close();
    }
  }

  static void seed(String loginId, String name) {
    servers.loadUsers(List.of(new SeedUser(loginId, name, SEEDED)));
  }

  static SourcedRow row(String loginId, String name, Instant lastLogin, long... offsets) {
    SourceOffsets sources = new SourceOffsets();
    for (long o : offsets) {
      sources.add(0, o);
    }
    return new SourcedRow(new LastLogin(loginId, name, lastLogin), sources);
  }

  static PCollection<SourceOffsets> write(TestPipeline p, List<SourcedRow> rows) {
    return p.apply("Rows", Create.of(rows).withCoder(SourcedRow.CODER))
        .apply("WriteLastLogin", new WriteLastLogin(servers.cassandra, RETRY_TIMEOUT));
  }

  static java.time.Instant at(Instant t) {
    return java.time.Instant.ofEpochMilli(t.getMillis());
  }

  @Test
  void rowsAreReadBackWithTheirLastLoginAndTheirNameUntouched(TestPipeline p) {
    seed("wl-seeded", "Prashant");
    // The row's name is what the pipeline saw; only last_login is written, so a rename made in
    // the table meanwhile survives.
    write(p, List.of(row("wl-seeded", "Old name", AFTER_SEED, 0), row("wl-new", "Nobody", AFTER_SEED, 1)));
    p.run();

    Map<String, UserRow> rows = servers.rows();
    assertThat(rows.get("wl-seeded")).isEqualTo(new UserRow("wl-seeded", "Prashant", at(AFTER_SEED)));
    assertThat(rows.get("wl-new")).as("an upsert creates the row").isEqualTo(new UserRow("wl-new", null, at(AFTER_SEED)));
  }

  @Test
  void olderLoginNeverOverwritesNewerOne(TestPipeline p) {
    seed("wl-newer-in-table", "Abdul");
    // One older than the table; and two of one user in one bundle, the newer one first.
    write(
        p,
        List.of(
            row("wl-newer-in-table", "Abdul", BEFORE_SEED, 0),
            row("wl-two-logins", "Alisha", LATER_STILL, 1),
            row("wl-two-logins", "Alisha", AFTER_SEED, 2)));
    p.run();

    Map<String, UserRow> rows = servers.rows();
    assertThat(rows.get("wl-newer-in-table").lastLogin()).isEqualTo(SEEDED);
    assertThat(rows.get("wl-two-logins").lastLogin()).isEqualTo(at(LATER_STILL));
  }

  @Test
  void eachRowsPositionsAreEmittedOnlyOnceItsWriteIsAcknowledged(TestPipeline p) {
    List<SourcedRow> rows = new ArrayList<>();
    Map<String, String> loginIdBySources = new HashMap<>();
    List<KV<String, Long>> expected = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      String id = String.format("wl-pos-%04d", i);
      Instant lastLogin = AFTER_SEED.plus(Duration.standardSeconds(i));
      SourcedRow row = row(id, null, lastLogin, 2L * i, 2L * i + 1); // two logins merged into the row
      rows.add(row);
      loginIdBySources.put(row.sources().toString(), id);
      expected.add(KV.of(id, lastLogin.getMillis()));
    }
    PCollection<KV<String, Long>> seenWhenEmitted =
        write(p, rows)
            .apply("ReadBackOnEmission", ParDo.of(new ReadBackFn(servers.cassandra, loginIdBySources)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

    // Every row's positions come out once, and its row was in the table when they did.
    PAssert.that(seenWhenEmitted).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  void throughCassandraIoRowsAreWrittenButNoPositionsAreReported(TestPipeline p) {
    PCollection<SourceOffsets> positions =
        p.apply("Rows", Create.of(List.of(row("wl-cassandra-io", "Io", AFTER_SEED, 0))).withCoder(SourcedRow.CODER))
            .apply("WriteLastLogin", new WriteLastLogin(servers.cassandra, RETRY_TIMEOUT, CassandraWriter.CASSANDRA_IO));

    // Nothing says when CassandraIO's write is done, so its offsets cannot wait for it.
    PAssert.that(positions).empty();
    p.run();
    assertThat(servers.rows().get("wl-cassandra-io").lastLogin()).isEqualTo(at(AFTER_SEED));
  }

  /** For each emitted position: the row it stands for, and its last_login in the table right then. */
  static final class ReadBackFn extends DoFn<SourceOffsets, KV<String, Long>> {
    private final CassandraConnection cassandra;
    private final Map<String, String> loginIdBySources;
    private transient PreparedStatement select;

    ReadBackFn(CassandraConnection cassandra, Map<String, String> loginIdBySources) {
      this.cassandra = cassandra;
      this.loginIdBySources = loginIdBySources;
    }

    @Setup
    public void setup() {
      select =
          SharedSessions.prepare(cassandra, "SELECT last_login FROM " + cassandra.qualifiedUsersTable() + " WHERE login_id = ?");
    }

    @ProcessElement
    public void process(@Element SourceOffsets sources, OutputReceiver<KV<String, Long>> out) {
      String id = loginIdBySources.get(sources.toString());
      Row row = SharedSessions.get(cassandra).execute(select.bind(id)).one();
      out.output(KV.of(id, row == null || row.isNull(0) ? -1L : row.getTimestamp(0).getTime()));
    }
  }
}
