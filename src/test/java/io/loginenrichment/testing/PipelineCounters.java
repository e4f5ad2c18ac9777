package io.loginenrichment.testing;

import io.loginenrichment.metrics.PipelineMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** A pipeline counter of a finished test pipeline, summed over steps. */
public final class PipelineCounters {
  private PipelineCounters() {}

  public static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(PipelineMetrics.NAMESPACE, name)).build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
