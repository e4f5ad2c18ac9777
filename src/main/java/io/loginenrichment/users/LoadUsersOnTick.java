package io.loginenrichment.users;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks in; a side-input view of users snapshots out, one new snapshot per tick. The view is an
 * iterable rather than a singleton because runners may hold more than one pane of a triggered
 * global window at once (on the SparkRunner a micro-batch can see two ticks, apache/beam#26465);
 * readers pick the newest with {@link UsersSnapshot#newest}. A failed load is logged and counted
 * and emits nothing, so readers keep the previous snapshot.
 *
 * <p>Ticks that arrive together are one load: after downtime a rate-limited ticker catches up
 * with a burst of ticks (the SparkRunner restoring a checkpoint delivered a dozen at once), and
 * scanning the whole users table once per tick would only repeat the same work.
 */
public final class LoadUsersOnTick
    extends PTransform<PCollection<Long>, PCollectionView<Iterable<UsersSnapshot>>> {

  private final UsersTable table;
  private final long ticksPerLoad;

  /** Loads on every tick. */
  public LoadUsersOnTick(UsersTable table) {
    this(table, 1);
  }

  /** Loads on tick 0 and every {@code ticksPerLoad}-th tick after it; other ticks only move time. */
  public LoadUsersOnTick(UsersTable table, long ticksPerLoad) {
    if (ticksPerLoad < 1) {
      throw new IllegalArgumentException("ticksPerLoad must be at least 1");
    }
    this.table = table;
    this.ticksPerLoad = ticksPerLoad;
  }

  @Override
  public PCollectionView<Iterable<UsersSnapshot>> expand(PCollection<Long> ticks) {
    return ticks
        .apply(
            "EveryTickIntoGlobalWindow",
            Window.<Long>into(new GlobalWindows())
                .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("LoadUsersTable", ParDo.of(new LoadFn(table, ticksPerLoad)))
        .apply("AsView", View.asIterable());
  }

  static final class LoadFn extends DoFn<Long, UsersSnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(LoadFn.class);
    private static final String NS = "login-enrichment";

    private final UsersTable table;
    private final long ticksPerLoad;
    private final Counter loads = Metrics.counter(NS, "users_loads");
    private final Counter failures = Metrics.counter(NS, "users_load_failures");
    private final Gauge loaded = Metrics.gauge(NS, "users_loaded");
    private final Distribution loadMillis = Metrics.distribution(NS, "users_load_millis");

    LoadFn(UsersTable table) {
      this(table, 1);
    }

    LoadFn(UsersTable table, long ticksPerLoad) {
      this.table = table;
      this.ticksPerLoad = ticksPerLoad;
    }

    private final Counter coalesced = Metrics.counter(NS, "users_ticks_coalesced");
    private transient long latestTick;
    private transient Instant latestTimestamp;

    @StartBundle
    public void startBundle() {
      latestTimestamp = null;
    }

    @ProcessElement
    public void process(@Element Long tick, @Timestamp Instant timestamp) {
      if (tick % ticksPerLoad != 0) {
        return;
      }
      if (latestTimestamp != null) {
        coalesced.inc();
      }
      if (latestTimestamp == null || tick > latestTick) {
        latestTick = tick;
      }
      latestTimestamp =
          latestTimestamp == null || timestamp.isAfter(latestTimestamp) ? timestamp : latestTimestamp;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      if (latestTimestamp == null) {
        return;
      }
      long start = System.nanoTime();
      try {
        UsersSnapshot snapshot = new UsersSnapshot(latestTick, Instant.now(), table.loadAll());
        long millis = (System.nanoTime() - start) / 1_000_000;
        loads.inc();
        loaded.set(snapshot.size());
        loadMillis.update(millis);
        LOG.info("Loaded {} users in {} ms (refresh #{})", snapshot.size(), millis, latestTick);
        context.output(snapshot, latestTimestamp, GlobalWindow.INSTANCE);
      } catch (Exception e) {
        // Keep serving the previous snapshot: a flaky Cassandra must not stop the stream.
        failures.inc();
        LOG.warn("Users refresh #{} failed, keeping the previous snapshot: {}", latestTick, e.toString());
      }
    }
  }
}
