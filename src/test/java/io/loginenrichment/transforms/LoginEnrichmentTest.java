package io.loginenrichment.transforms;

import io.loginenrichment.parse.LoginEventParser;
import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.testing.Fixtures;
import io.loginenrichment.testing.PipelineCounters;
import io.loginenrichment.testing.InMemoryUsersTable;
import io.loginenrichment.testing.LastWriteWinsTable;
import io.loginenrichment.users.LoadUsersOnTick;
import io.loginenrichment.users.UsersTable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The enrichment on the DirectRunner, driven by TestStream, asserted per window and pane. */
@ExtendWith(TestPipelineExtension.class)
class LoginEnrichmentTest {
  static final Duration WINDOW = Duration.standardSeconds(30);
  static final Instant T0 = Instant.parse("2020-09-20T10:00:00Z");
  static final IntervalWindow FIRST = new IntervalWindow(T0, WINDOW);
  static final IntervalWindow SECOND = new IntervalWindow(T0.plus(WINDOW), WINDOW);
  static final IntervalWindow THIRD = new IntervalWindow(T0.plus(WINDOW).plus(WINDOW), WINDOW);

  static final LoginEventParser PARSER =
      new LoginEventParser(
          ZoneOffset.UTC,
          Duration.standardMinutes(5),
          65536,
          Clock.fixed(java.time.Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC));

  static final Map<String, String> USERS =
      Map.of("100001", "Prashant", "100087", "Abdul", "100009", "Alisha");

  private long offset;

  /** A login as the source emits it: element timestamp = created_time. */
  TimestampedValue<RawLoginRecord> login(String id, Instant created) {
    return login(id, created, created);
  }

  /** A login whose element timestamp the source set to {@code stamped} (late: its watermark). */
  TimestampedValue<RawLoginRecord> login(String id, Instant created, Instant stamped) {
    String json =
        "{\"login_id\": \"" + id + "\", \"created_time\": \"" + created.toString().replace('T', ' ').replace("Z", "").replace(".000", "") + "\"}";
    return TimestampedValue.of(
        Fixtures.record("logins", offset++, json.getBytes(StandardCharsets.UTF_8)), stamped);
  }

  static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }

  static TestStream.Builder<RawLoginRecord> stream() {
    return TestStream.create(RawLoginRecord.CODER).advanceWatermarkTo(T0);
  }

  static PCollectionView<Iterable<Instant>> usersLoadedOnce(TestPipeline p, UsersTable table) {
    return p.apply("OneTick", Create.of(0L)).apply("LoadUsers", new LoadUsersOnTick(table));
  }

  static LoginEnrichment.Result enrich(
      TestPipeline p, TestStream<RawLoginRecord> input, PCollectionView<Iterable<Instant>> users, UsersTable table) {
    return enrich(p, input, users, table, Duration.ZERO);
  }

  static LoginEnrichment.Result enrich(
      TestPipeline p,
      TestStream<RawLoginRecord> input,
      PCollectionView<Iterable<Instant>> users,
      UsersTable table,
      Duration allowedLateness) {
    return p.apply("Logins", input)
        .apply("Enrich", new LoginEnrichment(PARSER, WINDOW, allowedLateness, Duration.standardMinutes(2), users, table));
  }

  static LoginEnrichment.Result enrichPerBundle(TestPipeline p, TestStream<RawLoginRecord> input) {
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(USERS));
    return p.apply("Logins", input)
        .apply(
            "Enrich",
            new LoginEnrichment(PARSER, WINDOW, Duration.ZERO, Duration.standardMinutes(2), usersLoadedOnce(p, table), table)
                .withLatestLoginScope(io.loginenrichment.options.LatestLoginScope.BUNDLE));
  }

  static LoginEnrichment.Result enrich(TestPipeline p, TestStream<RawLoginRecord> input) {
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(USERS));
    return enrich(p, input, usersLoadedOnce(p, table), table);
  }

  static LastLogin row(String id, String name, Instant lastLogin) {
    return new LastLogin(id, name, lastLogin);
  }

  @Test
  void onlyTheNewestLoginOfAWindowIsWritten(TestPipeline p) {
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100001", at(5)), login("100001", at(21)), login("100001", at(12)))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows()).inOnTimePane(FIRST).containsInAnyOrder(row("100001", "Prashant", at(21)));
    PAssert.that(out.deadLetters()).empty();
    p.run();
  }

  @Test
  void anOlderLoginArrivingLastInItsWindowDoesNotWin(TestPipeline p) {
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100009", at(29)))
            .addElements(login("100009", at(1)), login("100087", at(3)))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows())
        .inFinalPane(FIRST)
        .containsInAnyOrder(row("100009", "Alisha", at(29)), row("100087", "Abdul", at(3)));
    p.run();
  }

  @Test
  void eachWindowWritesItsOwnNewestLogin(TestPipeline p) {
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100001", at(5)), login("100001", at(10)))
            .advanceWatermarkTo(at(30))
            .addElements(login("100001", at(45)), login("100087", at(31)))
            .advanceWatermarkTo(at(60))
            .addElements(login("100001", at(61)))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows()).inOnTimePane(FIRST).containsInAnyOrder(row("100001", "Prashant", at(10)));
    PAssert.that(out.rows())
        .inOnTimePane(SECOND)
        .containsInAnyOrder(row("100001", "Prashant", at(45)), row("100087", "Abdul", at(31)));
    PAssert.that(out.rows()).inOnTimePane(THIRD).containsInAnyOrder(row("100001", "Prashant", at(61)));
    p.run();
  }

  @Test
  void aLateLoginIsAppliedInTheOpenWindowWithItsOwnTime(TestPipeline p) {
    // The source stamps every record with its arrival bound (ArrivalTimePolicy), so a login older
    // than that keeps the bound and is never dropped as late data; its created_time still decides
    // the write.
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100001", at(21)))
            .advanceWatermarkTo(at(40))
            .addElements(login("100001", at(10), at(40)))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows()).inOnTimePane(FIRST).containsInAnyOrder(row("100001", "Prashant", at(21)));
    PAssert.that(out.rows()).inOnTimePane(SECOND).containsInAnyOrder(row("100001", "Prashant", at(10)));
    // Applied to the table, the late and older login does not move last_login backwards.
    PAssert.that(out.rows())
        .satisfies(
            rows -> {
              assertThat(latestPerUser(rows)).containsEntry("100001", at(21));
              return null;
            });
    p.run();
  }

  @Test
  void aLoginWithinAllowedLatenessIsWrittenInALatePane(TestPipeline p) {
    // Only clocks of executors further apart than maxOutOfOrderness make this happen.
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100001", at(5)))
            .advanceWatermarkTo(at(35))
            .addElements(login("100087", at(7)))
            .advanceWatermarkToInfinity();
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(USERS));
    LoginEnrichment.Result out = enrich(p, input, usersLoadedOnce(p, table), table, Duration.standardSeconds(10));

    PAssert.that(out.rows()).inOnTimePane(FIRST).containsInAnyOrder(row("100001", "Prashant", at(5)));
    PAssert.that(out.rows()).inLatePane(FIRST).containsInAnyOrder(row("100087", "Abdul", at(7)));
    p.run();
  }

  /** 100087 stamped behind the watermark by more than the (zero) allowed lateness. */
  TestStream<RawLoginRecord> aLoginBehindTheWatermarkByMoreThanTheLateness() {
    return stream()
        .addElements(login("100001", at(5)))
        .advanceWatermarkTo(at(50))
        .addElements(login("100087", at(7)))
        .advanceProcessingTime(Duration.standardMinutes(5))
        .advanceWatermarkToInfinity();
  }

  @Test
  void aLoginTheRunnerDropsAsTooLateIsCountedAsLostNotSilentlyGone(TestPipeline p) {
    // Stamped behind the watermark by more than the allowed lateness: the grouping step drops it.
    // The audit must say so.
    TestStream<RawLoginRecord> input = aLoginBehindTheWatermarkByMoreThanTheLateness();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows()).containsInAnyOrder(row("100001", "Prashant", at(5)));
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(PipelineCounters.counter(result, "logins_lost_in_grouping")).isEqualTo(1);
  }

  @Test
  void nothingIsReportedLostWhenEveryLoginLeavesTheGrouping(TestPipeline p) {
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100001", at(5)), login("100001", at(6)), login("100087", at(7)))
            .advanceWatermarkTo(at(50))
            .addElements(login("100001", at(55)))
            .advanceWatermarkTo(at(100))
            .advanceProcessingTime(Duration.standardMinutes(5))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows()).inOnTimePane(FIRST).containsInAnyOrder(row("100001", "Prashant", at(6)), row("100087", "Abdul", at(7)));
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(PipelineCounters.counter(result, "logins_lost_in_grouping")).isZero();
    assertThat(PipelineCounters.counter(result, "logins_known")).isEqualTo(4);
  }

  @Test
  void perBundleALoginBehindTheWatermarkIsStillWrittenForThereIsNoGroupingToDropIt(TestPipeline p) {
    // The input that the grouping step drops as too late (test above): per bundle it is written.
    TestStream<RawLoginRecord> input = aLoginBehindTheWatermarkByMoreThanTheLateness();
    LoginEnrichment.Result out = enrichPerBundle(p, input);

    PAssert.that(out.rows()).containsInAnyOrder(row("100001", "Prashant", at(5)), row("100087", "Abdul", at(7)));
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(PipelineCounters.counter(result, "logins_known")).isEqualTo(2);
    assertThat(PipelineCounters.counter(result, "rows_emitted")).isEqualTo(2);
  }

  @Test
  void perBundleEachBundleWritesItsNewestAndTheTableEndsAtTheNewestOfAll(TestPipeline p) {
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100009", at(29)), login("100009", at(4)), login("100087", at(3)))
            .addElements(login("100009", at(1)), login("999999", at(2)))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrichPerBundle(p, input);

    PAssert.that(out.rows())
        .satisfies(
            rows -> {
              // Never more rows than logins, never a row that is not some bundle's newest.
              assertThat(list(rows)).hasSizeBetween(2, 3).doesNotContain(row("100009", "Alisha", at(4)));
              Map<String, Instant> table = new HashMap<>();
              rows.forEach(r -> table.merge(r.loginId(), r.lastLogin(), (a, b) -> a.isAfter(b) ? a : b));
              assertThat(table).containsExactlyInAnyOrderEntriesOf(Map.of("100009", at(29), "100087", at(3)));
              return null;
            });
    PAssert.that(out.deadLetters())
        .satisfies(
            dls -> {
              assertThat(list(dls)).extracting(DeadLetter::reason).containsExactly(Reason.UNKNOWN_USER);
              return null;
            });
    p.run();
  }

  @Test
  void aLoginOfAnUnknownUserIsADeadLetter(TestPipeline p) {
    TestStream<RawLoginRecord> input =
        stream().addElements(login("999999", at(41)), login("100001", at(42))).advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);

    PAssert.that(out.rows()).containsInAnyOrder(row("100001", "Prashant", at(42)));
    PAssert.that(out.deadLetters())
        .satisfies(
            dls -> {
              List<DeadLetter> all = list(dls);
              assertThat(all).hasSize(1);
              DeadLetter d = all.get(0);
              assertThat(d.reason()).isEqualTo(Reason.UNKNOWN_USER);
              assertThat(d.payload()).contains("999999").contains("2020-09-20 10:00:41");
              assertThat(d.source().offset()).isEqualTo(0L);
              return null;
            });
    p.run();
  }

  @Test
  void everyBadEventEndsInTheDeadLetters(TestPipeline p) {
    List<byte[]> values = new ArrayList<>();
    Fixtures.badEvents().forEach(l -> values.add(l.getBytes(StandardCharsets.UTF_8)));
    values.addAll(Fixtures.unprintableBadValues());
    TestStream.Builder<RawLoginRecord> builder = stream();
    for (int i = 0; i < values.size(); i++) {
      builder = builder.addElements(TimestampedValue.of(Fixtures.record("logins", i, values.get(i)), at(1)));
    }
    TestStream<RawLoginRecord> input =
        builder.addElements(login("100001", at(2))).advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input);
    int expected = values.size();

    PAssert.that(out.rows()).containsInAnyOrder(row("100001", "Prashant", at(2)));
    PAssert.that(out.deadLetters())
        .satisfies(
            dls -> {
              List<DeadLetter> all = list(dls);
              assertThat(all).hasSize(expected);
              assertThat(all.stream().map(d -> d.source().offset()).distinct().count()).isEqualTo(expected);
              assertThat(all).noneMatch(d -> d.message().isBlank());
              assertThat(all.stream().map(DeadLetter::reason).collect(Collectors.toSet()))
                  .contains(Reason.EMPTY_VALUE, Reason.INVALID_ENCODING, Reason.TOO_LARGE, Reason.INVALID_JSON);
              return null;
            });
    p.run();
  }

  /**
   * Two known users and an unknown one, with an empty side-input view, as the SparkRunner starts
   * streaming side inputs: the two known users' rows must come out either way.
   */
  LoginEnrichment.Result twoKnownAndOneUnknownBeforeAnyTick(TestPipeline p, InMemoryUsersTable table) {
    PCollectionView<Iterable<Instant>> empty =
        p.apply("NoTicks", Create.empty(VarLongCoder.of())).apply("LoadUsers", new LoadUsersOnTick(table));
    TestStream<RawLoginRecord> input =
        stream()
            .addElements(login("100001", at(3)), login("100087", at(4)), login("999999", at(5)))
            .advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input, empty, table);
    PAssert.that(out.rows())
        .inOnTimePane(FIRST)
        .containsInAnyOrder(row("100001", "Prashant", at(3)), row("100087", "Abdul", at(4)));
    return out;
  }

  @Test
  void loginsSeenBeforeAnyUsersLoadSucceedsAreLookedUpNotCalledUnknown(TestPipeline p) {
    // A table whose full scan fails: there is no snapshot at all, every login is looked up.
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(USERS));
    table.failLoads(true);
    LoginEnrichment.Result out = twoKnownAndOneUnknownBeforeAnyTick(p, table);
    PAssert.that(out.deadLetters())
        .satisfies(
            dls -> {
              assertThat(list(dls)).extracting(DeadLetter::reason).containsExactly(Reason.UNKNOWN_USER);
              return null;
            });
    p.run();
    assertThat(table.pointLookups()).isEqualTo(3);
  }

  @Test
  void anEmptyViewStillGetsTheUsersFromALoadInThisJvm(TestPipeline p) {
    // Before the side input's first tick arrives, the join loads the users itself: only the
    // unknown user costs a point lookup, not every login of the first micro-batches.
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(USERS));
    twoKnownAndOneUnknownBeforeAnyTick(p, table);
    p.run();
    assertThat(table.pointLookups()).isEqualTo(1);
  }

  @Test
  void aUserWithANullNameIsKnown(TestPipeline p) {
    Map<String, String> users = new HashMap<>(USERS);
    users.put("100050", null);
    InMemoryUsersTable table = new InMemoryUsersTable(users);
    TestStream<RawLoginRecord> input =
        stream().addElements(login("100050", at(7))).advanceWatermarkToInfinity();
    LoginEnrichment.Result out = enrich(p, input, usersLoadedOnce(p, table), table);

    PAssert.that(out.rows()).containsInAnyOrder(row("100050", null, at(7)));
    PAssert.that(out.deadLetters()).empty();
    p.run();
    assertThat(table.pointLookups()).isZero();
  }

  @Test
  void theOriginalExampleGivesTheExpectedTable(TestPipeline p) {
    List<RawLoginRecord> records = Fixtures.records("logins", Fixtures.lines("logins.jsonl"));
    TestStream.Builder<RawLoginRecord> builder =
        TestStream.create(RawLoginRecord.CODER).advanceWatermarkTo(Instant.parse("2019-01-01T00:00:00Z"));
    for (RawLoginRecord r : records) {
      Instant created =
          ((LoginEventParser.Valid) PARSER.parse(r)).event().createdTime();
      builder = builder.addElements(TimestampedValue.of(r, created));
    }
    InMemoryUsersTable table = InMemoryUsersTable.fromCsv("users.csv");
    LoginEnrichment.Result out =
        enrich(p, builder.advanceWatermarkToInfinity(), usersLoadedOnce(p, table), table);

    List<String> expected = Fixtures.lines("logins.expected.csv").stream().skip(1).sorted().toList();
    PAssert.that(out.rows())
        .satisfies(
            rows -> {
              assertThat(LastWriteWinsTable.fromCsv("users.csv").upsert(rows).asCsvRows())
                  .containsExactlyElementsOf(expected);
              return null;
            });
    PAssert.that(out.deadLetters())
        .satisfies(
            dls -> {
              List<DeadLetter> all = list(dls);
              assertThat(all).extracting(DeadLetter::reason).containsExactly(Reason.UNKNOWN_USER);
              assertThat(all.get(0).payload()).contains("999999");
              return null;
            });
    p.run();
  }

  static Map<String, Instant> latestPerUser(Iterable<LastLogin> rows) {
    return StreamSupport.stream(rows.spliterator(), false)
        .collect(
            Collectors.toMap(
                LastLogin::loginId,
                LastLogin::lastLogin,
                (a, b) -> a.isAfter(b) ? a : b));
  }

  static <T> List<T> list(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }
}
