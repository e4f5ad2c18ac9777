package io.loginenrichment.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;
import org.junit.jupiter.api.Test;

class BeamMetricsReporterTest {
  private final BeamMetricsReporter reporter = new BeamMetricsReporter();
  private final String job = "job-" + UUID.randomUUID();

  /** A subtask's operator group as Flink scopes it. */
  private UnregisteredMetricsGroup subtask(String jobName, int index) {
    return new UnregisteredMetricsGroup() {
      @Override
      public Map<String, String> getAllVariables() {
        return Map.of(
            ScopeFormat.SCOPE_JOB_NAME, jobName,
            ScopeFormat.SCOPE_OPERATOR_NAME, "Parse",
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
}
