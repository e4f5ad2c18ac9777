package io.loginenrichment.flink;

import io.loginenrichment.options.LoginEnrichmentOptions;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;

/**
 * What a start on the FlinkRunner needs before the pipeline runs; nothing on other runners (and no
 * Flink class is touched there, so this runs without Flink on the classpath).
 */
public final class FlinkRunnerSetup {
  private FlinkRunnerSetup() {}

  public static void prepare(LoginEnrichmentOptions o) {
    if (!isFlink(o)) {
      return;
    }
    absoluteStoragePath(o.as(FlinkPipelineOptions.class));
  }

  /**
   * The runner's result, on Flink with the metrics of the running job read live (see {@link
   * BeamMetricsReporter}); on other runners as it is.
   */
  public static PipelineResult withLiveMetrics(LoginEnrichmentOptions o, PipelineResult result) {
    return isFlink(o) ? new LiveMetricsResult(result, o.getJobName()) : result;
  }

  static boolean isFlink(LoginEnrichmentOptions o) {
    return o.getRunner().getSimpleName().contains("FlinkRunner");
  }

  /**
   * Flink's file state backend refuses a path without a scheme, and a {@code file:} URI must be
   * absolute: a plain path (as in runner-profiles/flink-local) is taken from the working
   * directory, as Spark's {@code --checkpointDir} is.
   */
  static void absoluteStoragePath(FlinkPipelineOptions flink) {
    String path = flink.getStateBackendStoragePath();
    if (path != null && !path.isBlank() && !path.contains(":")) {
      flink.setStateBackendStoragePath(Path.of(path).toAbsolutePath().normalize().toUri().toString());
    }
  }
}
