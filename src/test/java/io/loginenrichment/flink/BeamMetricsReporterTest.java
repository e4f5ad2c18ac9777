package io.loginenrichment.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class BeamMetricsReporterTest {
  private final BeamMetricsReporter reporter = new BeamMetricsReporter();
  private final String job = "job-" + UUID.randomUUID();

  /** A subtask's operator group as Flink scopes it. */
  private UnregisteredMetricsGroup subtask(String jobName, int index) {
    return operator(jobName, "op-1", "Parse", index);
  }

  private static UnregisteredMetricsGroup operator(String jobName, String id, String name, int index) {
    return new UnregisteredMetricsGroup() {
      @Override
      public Map<String, String> getAllVariables() {
        return Map.of(
            ScopeFormat.SCOPE_JOB_NAME, jobName,
            ScopeFormat.SCOPE_OPERATOR_ID, id,
            ScopeFormat.SCOPE_OPERATOR_NAME, name,
            ScopeFormat.SCOPE_TASK_SUBTASK_INDEX, String.valueOf(index),
            ScopeFormat.SCOPE_TASK_ATTEMPT_ID, "attempt-" + index);
      }
    };
  }

  private static SimpleCounter counter(long count) {
    SimpleCounter c = new SimpleCounter();
    c.inc(count);
    return c;
  }

  private static long counted(MetricResults results, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        results.queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named("login-enrichment", name)).build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  @Test
  void aJobsBeamCountersAreSummedOverSubtasksAndReadLive() {
    SimpleCounter first = counter(3);
    reporter.notifyOfAddedMetric(first, "login-enrichment.events_in", subtask(job, 0));
    reporter.notifyOfAddedMetric(counter(4), "login-enrichment.events_in", subtask(job, 1));
    reporter.notifyOfAddedMetric(counter(100), "numRecordsIn", subtask(job, 0));

    assertThat(counted(BeamMetricsReporter.metricsOf(job), "events_in")).isEqualTo(7);
    first.inc(5);
    assertThat(counted(BeamMetricsReporter.metricsOf(job), "events_in")).isEqualTo(12);
    assertThat(BeamMetricsReporter.metricsOf(job).allMetrics().getCounters())
        .as("Flink's own metrics (no namespace) are not Beam's")
        .allMatch(c -> c.getName().getNamespace().equals("login-enrichment"));
  }

  @Test
  void aRemovedTaskKeepsWhatItCountedAndOtherJobsAreApart() {
    SimpleCounter ended = counter(3);
    reporter.notifyOfAddedMetric(ended, "login-enrichment.events_in", subtask(job, 0));
    reporter.notifyOfRemovedMetric(ended, "login-enrichment.events_in", subtask(job, 0));
    ended.inc(10);

    assertThat(counted(BeamMetricsReporter.metricsOf(job), "events_in")).isEqualTo(3);
    assertThat(BeamMetricsReporter.metricsOf("another-" + job)).isNull();
  }

  @Test
  void chainedOperatorsWhoseNamesFlinkCutAlikeAreCountedApart() {
    String cut = "x".repeat(80);
    reporter.notifyOfAddedMetric(counter(3), "login-enrichment.dead_letters", operator(job, "op-a", cut, 0));
    reporter.notifyOfAddedMetric(counter(4), "login-enrichment.dead_letters", operator(job, "op-b", cut, 0));

    assertThat(counted(BeamMetricsReporter.metricsOf(job), "dead_letters")).isEqualTo(7);
  }

  @Test
  void aGaugeKeepsTheTimeThePipelineSetIt() throws Exception {
    Instant loaded = Instant.now().minus(Duration.standardHours(1));
    // Beam's own gauge class, as FlinkMetricContainer registers it (its constructor is not public).
    Constructor<?> flinkGauge =
        Class.forName("org.apache.beam.runners.flink.metrics.FlinkMetricContainerBase$FlinkGauge")
            .getDeclaredConstructor(GaugeResult.class);
    flinkGauge.setAccessible(true);
    Metric gauge = (Metric) flinkGauge.newInstance(GaugeResult.create(42, loaded));
    reporter.notifyOfAddedMetric(gauge, "login-enrichment.users_loaded", subtask(job, 0));

    GaugeResult read =
        BeamMetricsReporter.metricsOf(job).allMetrics().getGauges().iterator().next().getAttempted();
    assertThat(read.getValue()).isEqualTo(42);
    assertThat(read.getTimestamp()).as("when it was set, not when it was read").isEqualTo(loaded);
  }
}
