package io.loginenrichment.flink;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.beam.runners.core.metrics.GaugeData;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.runners.core.metrics.MonitoringInfoConstants;
import org.apache.beam.runners.core.metrics.SimpleMonitoringInfoBuilder;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

/**
 * A Flink metric reporter that keeps Beam's metrics of the jobs running in this JVM, so that the
 * launcher can read them while a job runs ({@link LiveMetricsResult}).
 *
 * <p>Why: on the FlinkRunner in streaming, Beam's metrics reach only Flink's metric system. The
 * streaming operators never put them in the job's accumulators, which is all that the pipeline
 * result's {@code metrics()} reads, so a running job reports no metrics at all: no COUNTERS line,
 * an empty Prometheus endpoint, tests that cannot count. With {@code --flinkMaster=[local]} the task
 * manager runs in this JVM and Flink hands every metric to its reporters when it registers it;
 * this one keeps Beam's (named {@code namespace.name}, one counter per operator and subtask) and
 * reads them when asked. Configured in {@code runner-profiles/flink-conf/config.yaml}.
 */
public final class BeamMetricsReporter implements MetricReporter {
  /** A metric as Beam counts it, added to the container of its step. */
  private interface Reading {
    void addTo(MetricsContainerImpl container);
  }

  private record Kept(String step, Reading reading) {}

  /** job name -> (operator, subtask, attempt, metric) -> what it counted. */
  private static final ConcurrentMap<String, ConcurrentMap<String, Kept>> JOBS = new ConcurrentHashMap<>();

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    Reading reading = live(metric, metricName);
    Map<String, String> scope = group.getAllVariables();
    String job = scope.get(ScopeFormat.SCOPE_JOB_NAME);
    if (reading != null && job != null) {
      String step = scope.getOrDefault(ScopeFormat.SCOPE_OPERATOR_NAME, scope.get(ScopeFormat.SCOPE_TASK_NAME));
      JOBS.computeIfAbsent(job, j -> new ConcurrentHashMap<>()).put(key(scope, metricName), new Kept(step, reading));
    }
  }

  /**
   * A task that ends (cancelled, or failed and restarted by Flink) keeps what it counted, as Beam's
   * attempted metrics do; a restarted task counts anew under its own attempt.
   */
  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    Map<String, String> scope = group.getAllVariables();
    ConcurrentMap<String, Kept> job = JOBS.get(String.valueOf(scope.get(ScopeFormat.SCOPE_JOB_NAME)));
    if (job != null) {
      job.computeIfPresent(key(scope, metricName), (k, kept) -> new Kept(kept.step(), frozen(kept.reading())));
    }
  }

  /** The Beam metrics this JVM's task managers registered for the job, or null if none. */
  static MetricResults metricsOf(String jobName) {
    ConcurrentMap<String, Kept> job = JOBS.get(jobName);
    if (job == null || job.isEmpty()) {
      return null;
    }
    MetricsContainerStepMap steps = new MetricsContainerStepMap();
    job.values().forEach(kept -> kept.reading().addTo(steps.getContainer(kept.step())));
    return MetricsContainerStepMap.asAttemptedOnlyMetricResults(steps);
  }

  private static String key(Map<String, String> scope, String metricName) {
    return String.join(
        "\u0000",
        // The id too: Flink cuts operator names at 80 characters, so two chained steps can share one.
        String.valueOf(scope.get(ScopeFormat.SCOPE_OPERATOR_ID)),
        String.valueOf(scope.get(ScopeFormat.SCOPE_OPERATOR_NAME)),
        String.valueOf(scope.get(ScopeFormat.SCOPE_TASK_SUBTASK_INDEX)),
        String.valueOf(scope.get(ScopeFormat.SCOPE_TASK_ATTEMPT_ID)),
        metricName);
  }

  /**
   * Beam's metrics as FlinkMetricContainer registers them: counters, and gauges holding a Beam gauge
   * or distribution, named {@code namespace.name} (Flink's own operator metrics have no dot).
   */
  private static Reading live(Metric metric, String metricName) {
    int dot = metricName.lastIndexOf('.');
    if (dot <= 0 || dot == metricName.length() - 1) {
      return null;
    }
    MetricName name = MetricName.named(metricName.substring(0, dot), metricName.substring(dot + 1));
    // FlinkMetricContainerBase's gauge classes are not public: known by their values and names.
    if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof DistributionResult) {
      return c -> {
        DistributionResult v = (DistributionResult) gauge.getValue();
        if (v.getCount() > 0) {
          c.getDistribution(name).update(v.getSum(), v.getCount(), v.getMin(), v.getMax());
        }
      };
    }
    if (metric instanceof Gauge<?> gauge && metric.getClass().getName().endsWith("$FlinkGauge")) {
      return c -> {
        GaugeResult set = gaugeAsSet(metric);
        if (set != null) {
          // With the time the pipeline set it: users_snapshot_age_seconds is read from it.
          c.update(List.of(new SimpleMonitoringInfoBuilder()
              .setUrn(MonitoringInfoConstants.Urns.USER_LATEST_INT64)
              .setLabel(MonitoringInfoConstants.Labels.NAMESPACE, name.getNamespace())
              .setLabel(MonitoringInfoConstants.Labels.NAME, name.getName())
              .setLabel(MonitoringInfoConstants.Labels.PTRANSFORM, "-") // required; the container is the step
              .setInt64LatestValue(GaugeData.create(set.getValue(), set.getTimestamp()))
              .build()));
        } else if (gauge.getValue() instanceof Long v) {
          c.getGauge(name).set(v); // stamped now: better than no value
        }
      };
    }
    if (metric instanceof Counter counter) {
      return c -> c.getCounter(name).inc(counter.getCount());
    }
    return null;
  }

  /** Beam's FlinkGauge keeps the GaugeResult (value and time set) in a package-private field. */
  private static final Field FLINK_GAUGE_DATA = flinkGaugeData();

  private static Field flinkGaugeData() {
    try {
      Field data = Class.forName("org.apache.beam.runners.flink.metrics.FlinkMetricContainerBase$FlinkGauge").getDeclaredField("data");
      data.setAccessible(true);
      return data;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static GaugeResult gaugeAsSet(Metric metric) {
    try {
      return FLINK_GAUGE_DATA != null && FLINK_GAUGE_DATA.getDeclaringClass().isInstance(metric)
          ? (GaugeResult) FLINK_GAUGE_DATA.get(metric)
          : null;
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  /** What a reading shows now, kept after its Flink metric is gone. */
  private static Reading frozen(Reading live) {
    MetricsContainerImpl snapshot = new MetricsContainerImpl("frozen");
    live.addTo(snapshot);
    return c -> c.update(snapshot);
  }
}
