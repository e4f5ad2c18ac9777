package io.loginenrichment.flink;

import io.loginenrichment.options.LoginEnrichmentOptions;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;

/**
 * What a start on the FlinkRunner needs before the pipeline runs; nothing on other runners (and no
 * Flink class is touched there, so this runs without Flink on the classpath).
 */
public final class FlinkRunnerSetup {
  private static final java.util.regex.Pattern SCALA_BUILD = java.util.regex.Pattern.compile("_2\\.1[0-3]-[^/]*\\.jar$");

  private FlinkRunnerSetup() {}

  public static void prepare(LoginEnrichmentOptions o) {
    if (!isFlink(o)) {
      return;
    }
    FlinkPipelineOptions flink = o.as(FlinkPipelineOptions.class);
    absoluteStoragePath(flink);
    if (isRemote(flink) && flink.getFilesToStage() == null) {
      flink.setFilesToStage(
          withoutProvidedJars(
              PipelineResources.detectClassPathResourcesToStage(FlinkRunnerSetup.class.getClassLoader(), o)));
    }
  }

  /** A cluster's address, not {@code [local]} or {@code [auto]}. */
  static boolean isRemote(FlinkPipelineOptions flink) {
    String master = flink.getFlinkMaster();
    return master != null && !master.startsWith("[");
  }

  /**
   * The launcher's classpath as the job's files, less what a cluster provides or the job never
   * runs: Flink (the cluster's own, loaded parent-first anyway), and Spark and Scala (the other
   * runner; the cluster has no Scala). From a bundled jar nothing is taken away; from a Maven classpath that is ~250 MB
   * less to upload for every start.
   */
  static List<String> withoutProvidedJars(List<String> classpath) {
    return classpath.stream()
        .filter(
            entry -> {
              String path = entry.replace(File.separatorChar, '/');
              return !path.contains("/org/apache/flink/")
                  && !path.contains("/org/apache/spark/")
                  && !path.contains("/org/scala-lang/")
                  // Scala builds (artifact_2.12-version.jar) need Scala: e.g. Jackson's Scala
                  // module, which Jackson's module discovery would load on the cluster.
                  && !SCALA_BUILD.matcher(path).find();
            })
        .toList();
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
