package io.loginenrichment.monitoring;

import io.loginenrichment.options.LoginEnrichmentOptions;
import io.loginenrichment.cassandra.WriteFreshness;
import io.loginenrichment.kafka.ConsumerLag;
import io.loginenrichment.metrics.PipelineMetrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's metrics in Prometheus' text format at {@code http://<host>:<port>/metrics}, served
 * by the pipeline's launcher (the Spark driver, or the DirectRunner's JVM) with the Prometheus Java
 * client. Every scrape asks the runner for its metrics (the SparkRunner aggregates them from all
 * executors on the driver), so the names are the same on every runner; consumer lag is read from
 * Kafka at each scrape. Names are listed in docs/operations.md.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
  static final String PREFIX = "login_enrichment_";

  private final HTTPServer server;
  private final ConsumerLag lag;

  private PrometheusEndpoint(HTTPServer server, ConsumerLag lag) {
    this.server = server;
    this.lag = lag;
  }

  /** The endpoint {@code --metricsPort} asks for, if any; a port in use is reported and the pipeline runs on. */
  public static void serve(LoginEnrichmentOptions o, PipelineResult result) {
    if (o.getMetricsPort() <= 0) {
      return;
    }
    try {
      start(o.getMetricsPort(), result, ConsumerLag.of(o));
    } catch (IOException | RuntimeException e) {
      LOG.error("No metrics endpoint on port {}: {}", o.getMetricsPort(), e.toString());
    }
  }

  /** Serves the metrics of {@code result} and the group's lag on {@code port} (0: any free port). */
  public static PrometheusEndpoint start(int port, PipelineResult result, ConsumerLag lag) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new PipelineCollector(result, lag));
    HTTPServer server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
    LOG.info("Metrics in Prometheus format at http://localhost:{}/metrics", server.getPort());
    return new PrometheusEndpoint(server, lag);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
    lag.close();
  }

  /** Turns one query of the runner's metrics, and one lag measurement, into snapshots. */
  record PipelineCollector(PipelineResult result, ConsumerLag lag) implements MultiCollector {

    @Override
    public MetricSnapshots collect() {
      List<MetricSnapshot> out = new ArrayList<>();
      try {
        out.addAll(fromBeam(query(result)));
      } catch (RuntimeException e) {
        // Some runners cannot be queried during start-up; the next scrape asks again.
        LOG.debug("Pipeline metrics not available yet: {}", e.toString());
      }
      out.addAll(fromLag());
      return new MetricSnapshots(out);
    }

    private static MetricQueryResults query(PipelineResult result) {
      return result
          .metrics()
          .queryMetrics(
              MetricsFilter.builder()
                  .addNameFilter(MetricNameFilter.inNamespace(PipelineMetrics.NAMESPACE))
                  .build());
    }

    static List<MetricSnapshot> fromBeam(MetricQueryResults metrics) {
      List<MetricSnapshot> out = new ArrayList<>();
      Map<String, Long> counters = new TreeMap<>();
      for (MetricResult<Long> c : metrics.getCounters()) {
        Long v = attemptedOrCommitted(c);
        if (v != null) {
          counters.merge(c.getName().getName(), v, Long::sum);
        }
      }
      long[] buckets = new long[WriteFreshness.BOUNDS_MS.length + 1];
      boolean anyBucket = false;
      for (Map.Entry<String, Long> e : counters.entrySet()) {
        String name = e.getKey();
        if (name.startsWith(WriteFreshness.BUCKET_PREFIX)) {
          buckets[bucketIndex(name.substring(WriteFreshness.BUCKET_PREFIX.length()))] += e.getValue();
          anyBucket = true;
          continue;
        }
        out.add(
            CounterSnapshot.builder()
                .name(PREFIX + name)
                .help(Help.of(name))
                .dataPoint(CounterDataPointSnapshot.builder().value(e.getValue()).build())
                .build());
      }
      Map<String, DistributionResult> distributions = new TreeMap<>();
      for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
        DistributionResult v = attemptedOrCommitted(d);
        if (v != null) {
          distributions.merge(
              d.getName().getName(),
              v,
              (a, b) -> DistributionResult.create(
                  a.getSum() + b.getSum(), a.getCount() + b.getCount(), Math.min(a.getMin(), b.getMin()),
                  Math.max(a.getMax(), b.getMax())));
        }
      }
      DistributionResult freshness = distributions.remove("freshness_ms");
      if (anyBucket || freshness != null) {
        double[] bounds = new double[buckets.length];
        for (int i = 0; i < WriteFreshness.BOUNDS_MS.length; i++) {
          bounds[i] = WriteFreshness.BOUNDS_MS[i] / 1000.0;
        }
        bounds[buckets.length - 1] = Double.POSITIVE_INFINITY;
        out.add(
            HistogramSnapshot.builder()
                .name(PREFIX + "freshness_seconds")
                .help(Help.of("freshness_seconds"))
                .dataPoint(
                    HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, buckets))
                        .sum(freshness == null ? 0 : freshness.getSum() / 1000.0)
                        .build())
                .build());
      }
      for (Map.Entry<String, DistributionResult> e : distributions.entrySet()) {
        String name = e.getKey();
        DistributionResult d = e.getValue();
        out.add(gauge(name + "_count", Help.of(name) + " (number of values)", d.getCount()));
        out.add(gauge(name + "_sum", Help.of(name) + " (sum of values)", d.getSum()));
        out.add(gauge(name + "_max", Help.of(name) + " (largest value)", d.getCount() == 0 ? 0 : d.getMax()));
      }
      GaugeResult newestLoad = null;
      for (MetricResult<GaugeResult> g : metrics.getGauges()) {
        GaugeResult v = attemptedOrCommitted(g);
        if (v == null) {
          continue;
        }
        out.add(gauge(g.getName().getName(), Help.of(g.getName().getName()), v.getValue()));
        if (g.getName().getName().equals("users_loaded")
            && (newestLoad == null || v.getTimestamp().isAfter(newestLoad.getTimestamp()))) {
          newestLoad = v;
        }
      }
      if (newestLoad != null) {
        out.add(
            gauge(
                "users_snapshot_age_seconds",
                Help.of("users_snapshot_age_seconds"),
                (System.currentTimeMillis() - newestLoad.getTimestamp().getMillis()) / 1000.0));
      }
      return dedupe(out);
    }

    private List<MetricSnapshot> fromLag() {
      GaugeSnapshot.Builder records =
          GaugeSnapshot.builder().name(PREFIX + "consumer_lag_records").help(Help.of("consumer_lag_records"));
      GaugeSnapshot.Builder seconds =
          GaugeSnapshot.builder().name(PREFIX + "consumer_lag_seconds").help(Help.of("consumer_lag_seconds"));
      double up = 1;
      try {
        for (ConsumerLag.PartitionLag p : lag.measure()) {
          Labels labels = Labels.of("partition", String.valueOf(p.partition()));
          records.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(p.records()).build());
          seconds.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(p.seconds()).build());
        }
      } catch (Exception e) {
        LOG.debug("Consumer lag not measured: {}", e.toString());
        up = 0;
      }
      return List.of(records.build(), seconds.build(), gauge("consumer_lag_up", Help.of("consumer_lag_up"), up));
    }

    /** A metric set at several steps (a gauge, a distribution) is exported once. */
    private static List<MetricSnapshot> dedupe(List<MetricSnapshot> all) {
      Map<String, MetricSnapshot> byName = new TreeMap<>();
      for (MetricSnapshot s : all) {
        byName.putIfAbsent(s.getMetadata().getName(), s);
      }
      return new ArrayList<>(byName.values());
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
      return GaugeSnapshot.builder()
          .name(PREFIX + name)
          .help(help)
          .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
          .build();
    }

    private static int bucketIndex(String bound) {
      if (bound.equals(WriteFreshness.UNBOUNDED)) {
        return WriteFreshness.BOUNDS_MS.length;
      }
      long ms = Long.parseLong(bound);
      for (int i = 0; i < WriteFreshness.BOUNDS_MS.length; i++) {
        if (WriteFreshness.BOUNDS_MS[i] == ms) {
          return i;
        }
      }
      return WriteFreshness.BOUNDS_MS.length;
    }

    /** Attempted values: the SparkRunner and the DirectRunner in streaming report no committed ones. */
    private static <T> @Nullable T attemptedOrCommitted(MetricResult<T> r) {
      T attempted = r.getAttempted();
      if (attempted != null) {
        return attempted;
      }
      try {
        return r.getCommitted();
      } catch (UnsupportedOperationException e) {
        return null;
      }
    }
  }
}
