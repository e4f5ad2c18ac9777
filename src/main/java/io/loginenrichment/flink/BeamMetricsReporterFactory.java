package io.loginenrichment.flink;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Flink finds reporters through factories named in its configuration ({@code factory.class}). */
public final class BeamMetricsReporterFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new BeamMetricsReporter();
  }
}
