package io.loginenrichment.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.KnownLogin;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.SourcePosition;
import io.loginenrichment.testing.InMemoryUsersTable;
import io.loginenrichment.users.LoadUsersOnTick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Parsed logins in a dead-letter lane in; logins joined with their user, or unknown_user dead letters, out. */
@ExtendWith(TestPipelineExtension.class)
class EnrichWithUsersTest {
  static final Duration WINDOW = Duration.standardSeconds(30);
  static final Duration LOAD_WAIT = Duration.standardSeconds(2);
  static final Instant T0 = Instant.parse("2020-09-20T10:00:00Z");
  static final IntervalWindow FIRST = new IntervalWindow(T0, WINDOW);
  static final IntervalWindow SECOND = new IntervalWindow(T0.plus(WINDOW), WINDOW);
  static final String TOPIC = "logins";
  static final int PARTITION = 1;

  static final String PRASHANT = "100001";
  static final String ABDUL = "100087";
  static final String NOBODY = "999999";
  static final Map<String, String> USERS = Map.of(PRASHANT, "Prashant", ABDUL, "Abdul");

  static final DeadLetter BAD_JSON =
      DeadLetter.of(Reason.INVALID_JSON, "Unexpected character", new SourcePosition(TOPIC, PARTITION, 50), "not json");

  static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }

  static LoginEvent event(String id, int second, long offset) {
    return new LoginEvent(
        id,
        at(second),
        new SourcePosition(TOPIC, PARTITION, offset),
        "{\"login_id\": \"" + id + "\", \"created_time\": \"" + at(second) + "\"}");
  }

  static TimestampedValue<RawUnionValue> parsed(LoginEvent e) {
    return TimestampedValue.of(DeadLetterLane.value(e), e.createdTime());
  }

  static TimestampedValue<RawUnionValue> known(LoginEvent e, String name) {
    return TimestampedValue.of(
        DeadLetterLane.value(
            new KnownLogin(new LastLogin(e.loginId(), name, e.createdTime()), e.source().partition(), e.source().offset())),
        e.createdTime());
  }

  static TestStream.Builder<RawUnionValue> stream() {
    return TestStream.create(DeadLetterLane.coder(LoginEvent.CODER)).advanceWatermarkTo(T0);
  }

  static PCollectionView<Iterable<Instant>> usersLoadedOnce(TestPipeline p, InMemoryUsersTable table) {
    return p.apply("OneTick", Create.of(0L)).apply("LoadUsers", new LoadUsersOnTick(table));
  }

  /** A view with no refresh in it, as the SparkRunner's first micro-batches see. */
  static PCollectionView<Iterable<Instant>> noRefreshYet(TestPipeline p, InMemoryUsersTable table) {
    return p.apply("NoTicks", Create.empty(VarLongCoder.of())).apply("LoadUsers", new LoadUsersOnTick(table));
  }

  /** The join's output with each element's timestamp; windows as they come out. */
  static PCollection<TimestampedValue<RawUnionValue>> enrich(
      TestPipeline p, TestStream<RawUnionValue> logins, PCollectionView<Iterable<Instant>> users, InMemoryUsersTable table) {
    return p.apply("Logins", logins)
        .apply("FixedWindows", Window.into(FixedWindows.of(WINDOW)))
        .apply("EnrichWithUsers", new EnrichWithUsers(users, table, LOAD_WAIT))
        .apply("WithTimestamps", Reify.timestamps());
  }

  @Test
  void aKnownUserIsJoinedWithTheNameInTheSnapshot(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(USERS);
    LoginEvent first = event(PRASHANT, 5, 0);
    LoginEvent second = event(ABDUL, 35, 1);
    TestStream<RawUnionValue> logins = stream().addElements(parsed(first), parsed(second)).advanceWatermarkToInfinity();
    PCollection<TimestampedValue<RawUnionValue>> out = enrich(p, logins, usersLoadedOnce(p, table), table);

    PAssert.that(out).inWindow(FIRST).containsInAnyOrder(known(first, "Prashant"));
    PAssert.that(out).inWindow(SECOND).containsInAnyOrder(known(second, "Abdul"));
    p.run();
    assertThat(table.pointLookups()).as("every user was in the snapshot").isZero();
  }

  @Test
  void anUnknownUserIsADeadLetterWithTheRecordAsItWasSent(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(USERS);
    LoginEvent unknown = event(NOBODY, 41, 7);
    TestStream<RawUnionValue> logins = stream().addElements(parsed(unknown)).advanceWatermarkToInfinity();
    PCollection<TimestampedValue<RawUnionValue>> out = enrich(p, logins, usersLoadedOnce(p, table), table);

    SourcePosition source = unknown.source();
    String sent = unknown.rawValue();
    // Emitted when its lookup answers, at the end of the bundle, still in its own window and time.
    PAssert.that(out)
        .inWindow(SECOND)
        .satisfies(
            all -> {
              List<TimestampedValue<RawUnionValue>> list = list(all);
              assertThat(list).hasSize(1);
              assertThat(list.get(0).getTimestamp()).isEqualTo(at(41));
              assertThat(DeadLetterLane.isDeadLetter(list.get(0).getValue())).isTrue();
              DeadLetter d = (DeadLetter) list.get(0).getValue().getValue();
              assertThat(d.reason()).isEqualTo(Reason.UNKNOWN_USER);
              assertThat(d.message()).contains(NOBODY);
              assertThat(d.source()).isEqualTo(source);
              assertThat(d.payload()).isEqualTo(sent);
              return null;
            });
    p.run();
    assertThat(table.pointLookups()).as("looked up before being called unknown").isEqualTo(1);
  }

  @Test
  void deadLettersAlreadyInTheLanePassThroughUnchanged(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(USERS);
    TestStream<RawUnionValue> logins =
        stream().addElements(TimestampedValue.of(DeadLetterLane.deadLetter(BAD_JSON), at(3))).advanceWatermarkToInfinity();
    PCollection<TimestampedValue<RawUnionValue>> out = enrich(p, logins, usersLoadedOnce(p, table), table);

    PAssert.that(out).inWindow(FIRST).containsInAnyOrder(TimestampedValue.of(DeadLetterLane.deadLetter(BAD_JSON), at(3)));
    p.run();
    assertThat(table.pointLookups()).isZero();
  }

  @Test
  void withNoUsersLoadedYetEachUserIsLookedUpOnceAndKnownOnesAreStillJoined(TestPipeline p) {
    // The full scan fails, so there is never a snapshot: every user comes from a point lookup,
    // one per user however many of its logins and bundles, kept until a snapshot arrives.
    InMemoryUsersTable table = new InMemoryUsersTable(new HashMap<>(USERS));
    table.failLoads(true);
    LoginEvent first = event(PRASHANT, 3, 0);
    LoginEvent again = event(PRASHANT, 4, 1);
    LoginEvent unknown = event(NOBODY, 5, 2);
    LoginEvent laterBundle = event(PRASHANT, 6, 3);
    LoginEvent unknownAgain = event(NOBODY, 7, 4);
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(parsed(first), parsed(again), parsed(unknown))
            .addElements(parsed(laterBundle), parsed(unknownAgain))
            .advanceWatermarkToInfinity();
    PCollection<TimestampedValue<RawUnionValue>> out = enrich(p, logins, noRefreshYet(p, table), table);

    List<LastLogin> joined =
        List.of(
            new LastLogin(PRASHANT, "Prashant", first.createdTime()),
            new LastLogin(PRASHANT, "Prashant", again.createdTime()),
            new LastLogin(PRASHANT, "Prashant", laterBundle.createdTime()));
    PAssert.that(out)
        .satisfies(
            all -> {
              List<LastLogin> rows = new ArrayList<>();
              List<Long> deadLetterOffsets = new ArrayList<>();
              for (TimestampedValue<RawUnionValue> t : all) {
                if (DeadLetterLane.isDeadLetter(t.getValue())) {
                  DeadLetter d = (DeadLetter) t.getValue().getValue();
                  assertThat(d.reason()).isEqualTo(Reason.UNKNOWN_USER);
                  deadLetterOffsets.add(d.source().offset());
                } else {
                  rows.add(((KnownLogin) t.getValue().getValue()).row());
                }
              }
              assertThat(rows).containsExactlyInAnyOrderElementsOf(joined);
              assertThat(deadLetterOffsets).containsExactlyInAnyOrder(2L, 4L);
              return null;
            });
    p.run();
    assertThat(table.pointLookups()).as("one lookup per distinct user").isEqualTo(2);
  }

  static <T> List<T> list(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }
}
