package io.loginenrichment.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.testing.InMemoryUsersTable;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The refresh side input on its own ticker: what a reader of the view sees over a few seconds of
 * a real (unbounded) run on the DirectRunner. The ticker is wall-clock driven, so these tests wait
 * for what they expect, up to {@link #AT_MOST}, then stop the pipeline (a TestPipeline would block
 * on an unbounded run, and PAssert needs the end of the stream).
 */
class UsersSideInputTest {
  /** A cold JVM on a busy machine takes long to start the first pipeline; a passing test waits far less. */
  static final Duration AT_MOST = Duration.standardSeconds(40);
  static final Duration EVERY_SECOND = Duration.standardSeconds(1);
  static final Duration EVERY_MINUTE = Duration.standardMinutes(1);
  static final Map<String, String> USERS = Map.of("100001", "Prashant");

  /** Refresh requests each reader saw in its view, by reader id (static: DoFns are serialized). */
  static final Map<String, SortedSet<Instant>> SEEN = new ConcurrentHashMap<>();

  /** Reads the view on every element of a fast main input and keeps every refresh in it. */
  static final class RecordRefreshesFn extends DoFn<Long, Void> {
    private final PCollectionView<Iterable<Instant>> refreshes;
    private final String reader;

    RecordRefreshesFn(PCollectionView<Iterable<Instant>> refreshes, String reader) {
      this.refreshes = refreshes;
      this.reader = reader;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.sideInput(refreshes).forEach(SEEN.get(reader)::add);
    }
  }

  /** A reader of a {@link UsersSideInput} refreshing every {@code interval}; returns what it saw. */
  static Set<Instant> reader(Pipeline p, String name, Duration interval, InMemoryUsersTable table) {
    String reader = name + " " + UUID.randomUUID();
    SEEN.put(reader, new ConcurrentSkipListSet<>());
    PCollectionView<Iterable<Instant>> view = p.apply(name + "Refreshes", new UsersSideInput(interval, table));
    p.apply(name + "Reads", GenerateSequence.from(0).withRate(1, Duration.millis(50)))
        .apply(name + "ReadView", ParDo.of(new RecordRefreshesFn(view, reader)).withSideInputs(view));
    return SEEN.get(reader);
  }

  /** Runs the unbounded pipeline until {@code done} holds or {@link #AT_MOST} has passed. */
  static void runUntil(Pipeline p, BooleanSupplier done) throws InterruptedException {
    PipelineResult result = p.run();
    long deadline = System.nanoTime() + AT_MOST.getMillis() * 1_000_000;
    try {
      while (!done.getAsBoolean() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    } finally {
      try {
        result.cancel();
      } catch (Exception alreadyStopping) {
        // Nothing more to stop.
      }
    }
  }

  /** Returns at once: the pipeline is stopped by {@link #runUntil}. */
  static Pipeline unboundedPipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--blockOnRun=false").create());
  }

  @Test
  void asksForARefreshAtStartAndEveryIntervalAndLoadsTheUsersInThisJvm() throws Exception {
    Pipeline p = unboundedPipeline();
    InMemoryUsersTable table = new InMemoryUsersTable(USERS);
    Set<Instant> seen = reader(p, "Fast", EVERY_SECOND, table);
    Instant before = Instant.now();

    runUntil(p, () -> seen.size() >= 3);

    assertThat(seen).as("refreshes asked for, one per tick").hasSizeGreaterThanOrEqualTo(3);
    assertThat(seen).as("wall-clock times of the requests").allMatch(t -> !t.isBefore(before) && !t.isAfter(Instant.now()));
    UsersSnapshot loaded = UsersSnapshots.of(table).current();
    assertThat(loaded).as("the table was loaded in this JVM").isNotNull();
    assertThat(loaded.nameOf("100001")).isEqualTo("Prashant");
  }

  @Test
  void anIntervalOfManyTicksAsksForOnlyTheFirstRefreshWhileTheTickerRuns() throws Exception {
    Pipeline p = unboundedPipeline();
    // Both tick every second; the one refreshing every minute must ask once in the time the other
    // asks three times.
    Set<Instant> everySecond = reader(p, "Fast", EVERY_SECOND, new InMemoryUsersTable(USERS));
    Set<Instant> everyMinute = reader(p, "Slow", EVERY_MINUTE, new InMemoryUsersTable(USERS));

    runUntil(p, () -> everySecond.size() >= 3);

    assertThat(everySecond).as("ticks seen meanwhile").hasSizeGreaterThanOrEqualTo(3);
    assertThat(everyMinute).as("refreshes asked for every minute").hasSize(1);
  }
}
