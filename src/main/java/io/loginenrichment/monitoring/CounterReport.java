package io.loginenrichment.monitoring;

import io.loginenrichment.util.DaemonThreads;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.metrics.PipelineMetrics;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.joda.time.Duration;

/**
 * The pipeline's counters as one JSON line, {@code COUNTERS {"t": <epoch ms>, "events_in": ...}},
 * printed periodically: a runner-neutral feed for scripts, and the benchmark's view of a pipeline
 * running in another JVM.
 */
public final class CounterReport {
  public static final String PREFIX = "COUNTERS ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CounterReport() {}

  /** Every counter of the pipeline's namespace, summed over steps (attempted values). */
  public static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> out = new TreeMap<>();
    MetricsFilter filter =
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(PipelineMetrics.NAMESPACE)).build();
    for (MetricResult<Long> c : result.metrics().queryMetrics(filter).getCounters()) {
      Long value = c.getAttempted();
      if (value != null) {
        out.merge(c.getName().getName(), value, Long::sum);
      }
    }
    return out;
  }

  public static String line(long epochMillis, Map<String, Long> counters) {
    Map<String, Object> fields = new TreeMap<>(counters);
    fields.put("t", epochMillis);
    try {
      return PREFIX + JSON.writeValueAsString(fields);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a {@link #line}; null if the line is something else. */
  public static Map<String, Long> parse(String line) {
    if (!line.startsWith(PREFIX)) {
      return null;
    }
    try {
      Map<String, Long> out = new TreeMap<>();
      JSON.readTree(line.substring(PREFIX.length())).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
      return out;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /** Prints the counters every {@code interval} until the JVM exits; a failed query is skipped. */
  public static void printEvery(PipelineResult result, Duration interval, PrintStream out) {
    if (!interval.isLongerThan(Duration.ZERO)) {
      return; // --countersInterval=0s: no report
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("counter-report"));
    timer.scheduleAtFixedRate(
        () -> {
          try {
            out.println(line(System.currentTimeMillis(), counters(result)));
            out.flush();
          } catch (RuntimeException e) {
            // Metrics are not queryable during start-up on every runner; the next tick retries.
          }
        },
        interval.getMillis(),
        interval.getMillis(),
        TimeUnit.MILLISECONDS);
  }
}
