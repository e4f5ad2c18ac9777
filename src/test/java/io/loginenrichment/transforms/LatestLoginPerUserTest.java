package io.loginenrichment.transforms;

import static io.loginenrichment.testing.PipelineCounters.counter;
import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.KnownLogin;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcePosition;
import io.loginenrichment.model.SourcedRow;
import io.loginenrichment.options.LatestLoginScope;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Windowed logins of known users in; the newest per user and window out, per pane (cases as in
 * Beam's LeaderBoardTest: on time, several in a window, out of order, late, too late).
 */
@ExtendWith(TestPipelineExtension.class)
class LatestLoginPerUserTest {
  static final Duration WINDOW = Duration.standardSeconds(30);
  static final Duration ALLOWED_LATENESS = Duration.standardSeconds(10);
  static final Duration AUDIT_GRACE = Duration.standardMinutes(2);
  static final Instant T0 = Instant.parse("2020-09-20T10:00:00Z");
  static final IntervalWindow FIRST = new IntervalWindow(T0, WINDOW);
  static final IntervalWindow SECOND = new IntervalWindow(T0.plus(WINDOW), WINDOW);
  static final int PARTITION = 0;

  static final String PRASHANT = "100001";
  static final String ABDUL = "100087";
  static final Map<String, String> NAMES = Map.of(PRASHANT, "Prashant", ABDUL, "Abdul");

  static final DeadLetter UNKNOWN =
      DeadLetter.of(Reason.UNKNOWN_USER, "no user with login_id 999999", new SourcePosition("logins", PARTITION, 90), "{}");

  static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }

  /** A known user's login created at {@code second}, read at {@code offset}; event time = created time. */
  static TimestampedValue<RawUnionValue> login(String id, int second, long offset) {
    return TimestampedValue.of(
        DeadLetterLane.value(new KnownLogin(new LastLogin(id, NAMES.get(id), at(second)), PARTITION, offset)), at(second));
  }

  static SourcedRow row(String id, int second, long... offsets) {
    SourceOffsets sources = new SourceOffsets();
    for (long o : offsets) {
      sources.add(PARTITION, o);
    }
    return new SourcedRow(new LastLogin(id, NAMES.get(id), at(second)), sources);
  }

  static TestStream.Builder<RawUnionValue> stream() {
    return TestStream.create(DeadLetterLane.coder(KnownLogin.CODER)).advanceWatermarkTo(T0);
  }

  /** Windowed as {@link LoginEnrichment} windows the stream, then the step under test. */
  static PCollectionTuple latest(TestPipeline p, TestStream<RawUnionValue> logins, Duration allowedLateness) {
    return p.apply("Logins", logins)
        .apply(
            "FixedWindows",
            Window.<RawUnionValue>into(FixedWindows.of(WINDOW)).withAllowedLateness(allowedLateness).discardingFiredPanes())
        .apply("LatestLoginPerUser", new LatestLoginPerUser(AUDIT_GRACE, LatestLoginScope.WINDOW));
  }

  @Test
  void anOnTimeLoginIsWrittenInItsWindowsOnTimePane(TestPipeline p) {
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(login(PRASHANT, 5, 0))
            .advanceWatermarkTo(at(30))
            .addElements(login(PRASHANT, 35, 1))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = latest(p, logins, Duration.ZERO);

    PAssert.that(out.get(LatestLoginPerUser.ROWS)).inOnTimePane(FIRST).containsInAnyOrder(row(PRASHANT, 5, 0));
    PAssert.that(out.get(LatestLoginPerUser.ROWS)).inOnTimePane(SECOND).containsInAnyOrder(row(PRASHANT, 35, 1));
    PAssert.that(out.get(LatestLoginPerUser.DEAD_LETTERS)).empty();
    p.run();
  }

  @Test
  void severalLoginsOfAUserInOneWindowBecomeOneRowWithTheNewestAndAllTheirOffsets(TestPipeline p) {
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(login(PRASHANT, 5, 0), login(PRASHANT, 21, 1), login(ABDUL, 9, 2), login(PRASHANT, 12, 3))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = latest(p, logins, Duration.ZERO);

    // Every offset merged into a row is committed once it is written: none may go missing.
    PAssert.that(out.get(LatestLoginPerUser.ROWS))
        .inOnTimePane(FIRST)
        .containsInAnyOrder(row(PRASHANT, 21, 0, 1, 3), row(ABDUL, 9, 2));
    p.run();
  }

  @Test
  void anOlderLoginArrivingLaterInItsWindowDoesNotWin(TestPipeline p) {
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(login(PRASHANT, 29, 0))
            .addElements(login(PRASHANT, 1, 1)) // a bundle of its own: merged in the grouping, not the bundle
            .advanceWatermarkToInfinity();
    PCollectionTuple out = latest(p, logins, Duration.ZERO);

    PAssert.that(out.get(LatestLoginPerUser.ROWS)).inOnTimePane(FIRST).containsInAnyOrder(row(PRASHANT, 29, 0, 1));
    p.run();
  }

  @Test
  void aLoginLateWithinAllowedLatenessIsWrittenInALatePaneAndNotCountedLost(TestPipeline p) {
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(login(PRASHANT, 5, 0))
            .advanceWatermarkTo(at(35)) // FIRST fired on time; late logins are taken until 40
            .addElements(login(ABDUL, 7, 1))
            .advanceProcessingTime(Duration.standardMinutes(5)) // past the audit's grace
            .advanceWatermarkToInfinity();
    PCollectionTuple out = latest(p, logins, ALLOWED_LATENESS);

    PAssert.that(out.get(LatestLoginPerUser.ROWS)).inOnTimePane(FIRST).containsInAnyOrder(row(PRASHANT, 5, 0));
    PAssert.that(out.get(LatestLoginPerUser.ROWS)).inLatePane(FIRST).containsInAnyOrder(row(ABDUL, 7, 1));
    PipelineResult result = p.run();
    assertThat(counter(result, "logins_lost_in_grouping")).isZero();
  }

  @Test
  void aLoginLaterThanAllowedLatenessIsDroppedAndCountedAsLost(TestPipeline p) {
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(login(PRASHANT, 5, 0))
            .advanceWatermarkTo(at(50)) // FIRST closed: its allowed lateness ended at 40
            .addElements(login(ABDUL, 7, 1))
            .advanceProcessingTime(Duration.standardMinutes(5)) // past the audit's grace
            .advanceWatermarkToInfinity();
    PCollectionTuple out = latest(p, logins, ALLOWED_LATENESS);

    PAssert.that(out.get(LatestLoginPerUser.ROWS)).containsInAnyOrder(row(PRASHANT, 5, 0));
    // Not a dead letter either: the runner drops it inside the grouping, and only the audit sees it.
    PAssert.that(out.get(LatestLoginPerUser.DEAD_LETTERS)).empty();
    PipelineResult result = p.run();
    assertThat(counter(result, "logins_lost_in_grouping")).isEqualTo(1);
  }

  @Test
  void deadLettersInTheLaneLeaveItUnchangedAndAreNoRows(TestPipeline p) {
    TestStream<RawUnionValue> logins =
        stream()
            .addElements(login(PRASHANT, 5, 0), TimestampedValue.of(DeadLetterLane.deadLetter(UNKNOWN), at(6)))
            .advanceWatermarkToInfinity();
    PCollectionTuple out = latest(p, logins, Duration.ZERO);

    PAssert.that(out.get(LatestLoginPerUser.DEAD_LETTERS)).containsInAnyOrder(UNKNOWN);
    PAssert.that(out.get(LatestLoginPerUser.ROWS)).containsInAnyOrder(row(PRASHANT, 5, 0));
    p.run();
  }
}
