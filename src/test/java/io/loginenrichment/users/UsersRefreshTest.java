package io.loginenrichment.users;

import static io.loginenrichment.testing.PipelineCounters.counter;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.testing.Fixtures;
import io.loginenrichment.testing.InMemoryUsersTable;
import io.loginenrichment.transforms.LoginEnrichment;
import io.loginenrichment.parse.LoginEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The refreshed side input. Ticks travel in the same TestStream as the logins (as marker records)
 * so that the order "refresh, then later window" is exact: the DirectRunner finishes all work of
 * one TestStream step before the next.
 */
@ExtendWith(TestPipelineExtension.class)
class UsersRefreshTest {
  static final Duration WINDOW = Duration.standardSeconds(30);
  static final Instant T0 = Instant.parse("2020-09-20T10:00:00Z");
  static final LoginEventParser PARSER =
      new LoginEventParser(
          ZoneOffset.UTC, Duration.standardMinutes(5), 65536,
          Clock.fixed(java.time.Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC));
  static final String TICK_TOPIC = "tick";
  /** A change to the table with no refresh after it. */
  static final String SILENT_TOPIC = "silent";

  private long offset;

  TimestampedValue<RawLoginRecord> login(String id, int second) {
    String json = "{\"login_id\": \"" + id + "\", \"created_time\": \"2020-09-20 10:00:" + String.format("%02d", second % 60) + "\"}";
    if (second >= 60) {
      json = json.replace("10:00:", "10:01:");
    }
    return TimestampedValue.of(
        Fixtures.record("logins", offset++, json.getBytes(StandardCharsets.UTF_8)),
        T0.plus(Duration.standardSeconds(second)));
  }

  /** A refresh: before the tick, user {@code id} is renamed to {@code name} (or loads fail). */
  TimestampedValue<RawLoginRecord> refresh(String id, String name) {
    String change = id + "=" + name;
    return TimestampedValue.of(
        RawLoginRecord.of(TICK_TOPIC, 0, offset++, null, change.getBytes(StandardCharsets.UTF_8)), T0);
  }

  /** Adds or renames a user in the table without refreshing the side input. */
  TimestampedValue<RawLoginRecord> silentlyPut(String id, String name) {
    String change = id + "=" + name;
    return TimestampedValue.of(
        RawLoginRecord.of(SILENT_TOPIC, 0, offset++, null, change.getBytes(StandardCharsets.UTF_8)), T0);
  }

  static final class TickFn extends DoFn<RawLoginRecord, Long> {
    private final InMemoryUsersTable table;

    TickFn(InMemoryUsersTable table) {
      this.table = table;
    }

    @ProcessElement
    public void process(@Element RawLoginRecord r, OutputReceiver<Long> out) {
      String[] change = new String(r.value(), StandardCharsets.UTF_8).split("=", 2);
      table.failLoads(change[1].equals("FAIL"));
      if (!change[1].equals("FAIL")) {
        table.put(change[0], change[1]);
      }
      if (r.source().topic().equals(TICK_TOPIC)) {
        out.output(r.source().offset());
      }
    }
  }

  LoginEnrichment.Result run(TestPipeline p, TestStream<RawLoginRecord> stream, InMemoryUsersTable table) {
    PCollection<RawLoginRecord> all = p.apply("Stream", stream);
    PCollectionView<Iterable<Instant>> users =
        all.apply("OnlyTableChanges", Filter.by((RawLoginRecord r) -> !r.source().topic().equals("logins")))
            .apply("Tick", ParDo.of(new TickFn(table)))
            .apply("LoadUsersOnTick", new LoadUsersOnTick(table));
    return all.apply("OnlyLogins", Filter.by((RawLoginRecord r) -> r.source().topic().equals("logins")))
        .apply("Enrich", new LoginEnrichment(PARSER, WINDOW, Duration.ZERO, Duration.standardMinutes(2), users, table));
  }

  static IntervalWindow window(int n) {
    return new IntervalWindow(T0.plus(WINDOW.multipliedBy(n)), WINDOW);
  }

  static LastLogin row(String id, String name, int second) {
    return new LastLogin(id, name, T0.plus(Duration.standardSeconds(second)));
  }

  @Test
  void aRenameIsSeenByLaterWindows(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(Map.of("100001", "Prashant")));
    TestStream<RawLoginRecord> stream =
        TestStream.create(RawLoginRecord.CODER)
            .advanceWatermarkTo(T0)
            .addElements(refresh("100001", "Prashant"))
            .addElements(login("100001", 5))
            .advanceWatermarkTo(T0.plus(WINDOW))
            .addElements(refresh("100001", "Prashant K"))
            .addElements(login("100001", 35))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = run(p, stream, table);

    PAssert.that(out.rows()).inOnTimePane(window(0)).containsInAnyOrder(row("100001", "Prashant", 5));
    PAssert.that(out.rows()).inOnTimePane(window(1)).containsInAnyOrder(row("100001", "Prashant K", 35));
    p.run();
    assertThat(table.pointLookups()).isZero();
  }

  @Test
  void aFailedRefreshKeepsThePreviousUsersAndIsCounted(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(Map.of("100001", "Prashant")));
    TestStream<RawLoginRecord> stream =
        TestStream.create(RawLoginRecord.CODER)
            .advanceWatermarkTo(T0)
            .addElements(refresh("100001", "Prashant"))
            .addElements(login("100001", 5))
            .advanceWatermarkTo(T0.plus(WINDOW))
            .addElements(refresh("100001", "FAIL"))
            .addElements(login("100001", 40))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = run(p, stream, table);

    PAssert.that(out.rows()).inOnTimePane(window(1)).containsInAnyOrder(row("100001", "Prashant", 40));
    PAssert.that(out.deadLetters()).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "users_load_failures")).isEqualTo(1);
    assertThat(counter(result, "users_loads")).isEqualTo(1);
    assertThat(table.pointLookups()).isZero();
  }

  @Test
  void aUserCreatedSinceTheLastRefreshIsFoundByAPointLookup(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(Map.of("100001", "Prashant")));
    TestStream<RawLoginRecord> stream =
        TestStream.create(RawLoginRecord.CODER)
            .advanceWatermarkTo(T0)
            .addElements(refresh("100001", "Prashant"))
            .addElements(login("100001", 5))
            .advanceWatermarkTo(T0.plus(WINDOW))
            .addElements(silentlyPut("100200", "Newcomer"))
            .addElements(login("100200", 33), login("100200", 34))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = run(p, stream, table);

    PAssert.that(out.rows()).inOnTimePane(window(1)).containsInAnyOrder(row("100200", "Newcomer", 34));
    p.run();
    assertThat(table.pointLookups()).isEqualTo(1);
  }
}
