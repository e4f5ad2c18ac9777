package io.loginenrichment.flink;

import java.io.IOException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;

/**
 * The FlinkRunner's pipeline result with the metrics of the running job ({@link
 * BeamMetricsReporter}); the runner's own result (its accumulators) when this JVM has none of the
 * job's metrics, e.g. on a remote cluster or without the reporter configured.
 */
final class LiveMetricsResult implements PipelineResult {
  private final PipelineResult runner;
  private final String jobName;

  LiveMetricsResult(PipelineResult runner, String jobName) {
    this.runner = runner;
    this.jobName = jobName;
  }

  @Override
  public MetricResults metrics() {
    MetricResults live = BeamMetricsReporter.metricsOf(jobName);
    return live != null ? live : runner.metrics();
  }

  @Override
  public State getState() {
    return runner.getState();
  }

  @Override
  public State cancel() throws IOException {
    return runner.cancel();
  }

  @Override
  public State waitUntilFinish(Duration duration) {
    return runner.waitUntilFinish(duration);
  }

  @Override
  public State waitUntilFinish() {
    return runner.waitUntilFinish();
  }

  @Override
  public String toString() {
    return "LiveMetricsResult{" + jobName + ", " + runner + "}";
  }
}
