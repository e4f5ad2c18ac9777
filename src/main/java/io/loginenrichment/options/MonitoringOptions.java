package io.loginenrichment.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

public interface MonitoringOptions extends PipelineOptions {
  @Description(
      "Print the pipeline's counters as one JSON line on stdout (prefixed 'COUNTERS ') this often;"
          + " 0s turns it off. Monitoring scripts and the benchmark read these lines")
  @Default.String("0s")
  String getCountersInterval();

  void setCountersInterval(String value);
}
