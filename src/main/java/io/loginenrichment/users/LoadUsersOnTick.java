package io.loginenrichment.users;

import io.loginenrichment.metrics.PipelineMetrics;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Ticks in; a side-input view of refresh requests out: the wall-clock time each refresh was asked
 * for. Readers take the newest and get the snapshot for it from {@link UsersSnapshots}, which
 * loads the table once per JVM off the processing path; this step also starts that load in its
 * own JVM at once, and counts the loads finished since its last bundle (it runs every tick, so
 * the counters move even when no login does). The view is an iterable because runners may hold
 * more than one pane of a triggered global window at once (on the SparkRunner a micro-batch can
 * see two ticks, apache/beam#26465).
 *
 * <p>Ticks that arrive together are one refresh: after downtime a rate-limited ticker catches up
 * with a burst of ticks (the SparkRunner restoring a checkpoint delivered a dozen at once), and
 * scanning the whole users table once per tick would only repeat the same work.
 */
public final class LoadUsersOnTick extends PTransform<PCollection<Long>, PCollectionView<Iterable<Instant>>> {

  private final UsersTable table;
  private final long ticksPerLoad;

  /** Refreshes on every tick. */
  public LoadUsersOnTick(UsersTable table) {
    this(table, 1);
  }

  /** Refreshes on tick 0 and every {@code ticksPerLoad}-th tick after it; other ticks only move time. */
  public LoadUsersOnTick(UsersTable table, long ticksPerLoad) {
    if (ticksPerLoad < 1) {
      throw new IllegalArgumentException("ticksPerLoad must be at least 1");
    }
    this.table = table;
    this.ticksPerLoad = ticksPerLoad;
  }

  @Override
  public PCollectionView<Iterable<Instant>> expand(PCollection<Long> ticks) {
    return ticks
        .apply(
            "EveryTickIntoGlobalWindow",
            Window.<Long>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("RequestUsersRefresh", ParDo.of(new RequestRefreshFn(table, ticksPerLoad)))
        .setCoder(InstantCoder.of())
        .apply("AsView", View.asIterable());
  }

  static final class RequestRefreshFn extends DoFn<Long, Instant> {
    private static final Counter COALESCED = Metrics.counter(PipelineMetrics.NAMESPACE, "users_ticks_coalesced");

    private final UsersTable table;
    private final long ticksPerLoad;
    private transient UsersSnapshots snapshots;
    private transient @Nullable Instant latestTimestamp;

    RequestRefreshFn(UsersTable table, long ticksPerLoad) {
      this.table = table;
      this.ticksPerLoad = ticksPerLoad;
    }

    @Setup
    public void setup() {
      snapshots = UsersSnapshots.of(table);
    }

    @StartBundle
    public void startBundle() {
      latestTimestamp = null;
    }

    @ProcessElement
    public void process(@Element Long tick, @Timestamp Instant timestamp) {
      snapshots.reportLoads();
      if (tick % ticksPerLoad != 0) {
        return;
      }
      if (latestTimestamp != null) {
        COALESCED.inc();
      }
      latestTimestamp =
          latestTimestamp == null || timestamp.isAfter(latestTimestamp) ? timestamp : latestTimestamp;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      if (latestTimestamp == null) {
        return;
      }
      Instant requestedAt = Instant.now();
      snapshots.request(requestedAt);
      context.output(requestedAt, latestTimestamp, GlobalWindow.INSTANCE);
    }
  }
}
