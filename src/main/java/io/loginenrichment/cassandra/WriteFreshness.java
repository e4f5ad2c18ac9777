package io.loginenrichment.cassandra;

import io.loginenrichment.metrics.PipelineMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;

/**
 * How long after its window's end a row's write was acknowledged (0 when written before the window
 * closed, as the per-bundle scope does): a {@code freshness_ms} distribution, and one counter per
 * bucket ({@code freshness_ms_le_<bound>}, each write counted in exactly one) so that an exporter
 * can publish a histogram, from which quantiles can be computed, as Beam distributions carry none.
 */
public final class WriteFreshness {
  private static final String NS = PipelineMetrics.NAMESPACE;
  /** Upper bounds of the buckets, in milliseconds; the last bucket is unbounded. */
  public static final long[] BOUNDS_MS = {500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000};

  public static final String BUCKET_PREFIX = "freshness_ms_le_";
  public static final String UNBOUNDED = "inf";

  private static final Distribution FRESHNESS = Metrics.distribution(NS, "freshness_ms");
  private static final Counter[] BUCKETS = buckets();

  private WriteFreshness() {}

  private static Counter[] buckets() {
    Counter[] out = new Counter[BOUNDS_MS.length + 1];
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      out[i] = Metrics.counter(NS, BUCKET_PREFIX + BOUNDS_MS[i]);
    }
    out[BOUNDS_MS.length] = Metrics.counter(NS, BUCKET_PREFIX + UNBOUNDED);
    return out;
  }

  /** Records one acknowledged write of a row in {@code window}, now. */
  public static void record(BoundedWindow window) {
    if (!(window instanceof IntervalWindow w)) {
      return;
    }
    long millis = Math.max(0, Instant.now().getMillis() - w.end().getMillis());
    FRESHNESS.update(millis);
    BUCKETS[bucket(millis)].inc();
  }

  static int bucket(long millis) {
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      if (millis <= BOUNDS_MS[i]) {
        return i;
      }
    }
    return BOUNDS_MS.length;
  }
}
