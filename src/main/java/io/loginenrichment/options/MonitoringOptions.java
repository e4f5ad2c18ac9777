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

  @Description(
      "Serve the pipeline's metrics in Prometheus format at http://<host>:<port>/metrics from the"
          + " launching JVM (the Spark driver); 0 turns it off")
  @Default.Integer(0)
  int getMetricsPort();

  void setMetricsPort(int value);

  @Description(
      "When the consumer group's committed offsets have not moved for this long while records wait"
          + " behind them, exit with code 75 so a supervisor restarts the pipeline from its committed"
          + " offsets (e.g. logins read on a lost Spark executor); 0s turns the watchdog off. Longer than"
          + " --cassandraWriteRetryTimeout, so a Cassandra outage being ridden out is not cut short")
  @Default.String("15m")
  String getStallTimeout();

  void setStallTimeout(String value);
}
