package io.loginenrichment.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.options.LoginEnrichmentOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkRunnerSetupTest {
  private static LoginEnrichmentOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(LoginEnrichmentOptions.class);
  }

  @Test
  void eachSparkStartGetsAFreshCheckpointWhenCommitsFollowWrites(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("run-1/state"));
    LoginEnrichmentOptions o = options("--runner=SparkRunner", "--checkpointDir=" + dir);
    SparkRunnerSetup.freshCheckpoint(o);
    assertThat(o.as(SparkPipelineOptions.class).getCheckpointDir())
        .startsWith(dir + "/run-")
        .isNotEqualTo(dir + "/run-1");
    assertThat(dir.resolve("run-1")).doesNotExist();

    LoginEnrichmentOptions onRead = options("--runner=SparkRunner", "--checkpointDir=" + dir, "--commitOffsets=ON_READ");
    SparkRunnerSetup.freshCheckpoint(onRead);
    assertThat(onRead.as(SparkPipelineOptions.class).getCheckpointDir()).isEqualTo(dir.toString());
  }

  @Test
  void executorsGetTheReaderCachePluginBesideAnyTheUserSet() {
    String before = System.getProperty(SparkRunnerSetup.PLUGINS);
    try {
      System.setProperty(SparkRunnerSetup.PLUGINS, "com.example.TheirPlugin");
      SparkRunnerSetup.keepSourceReadersOpen();
      SparkRunnerSetup.keepSourceReadersOpen();
      assertThat(System.getProperty(SparkRunnerSetup.PLUGINS))
          .isEqualTo("com.example.TheirPlugin," + SourceReaderCachePlugin.class.getName());
    } finally {
      if (before == null) {
        System.clearProperty(SparkRunnerSetup.PLUGINS);
      } else {
        System.setProperty(SparkRunnerSetup.PLUGINS, before);
      }
    }
  }

  @Test
  void sparksOwnMetricsGetAPrometheusServletUnlessTheUserConfiguredSinks() {
    String before = System.getProperty(SparkRunnerSetup.PROMETHEUS_SINK);
    try {
      System.clearProperty(SparkRunnerSetup.PROMETHEUS_SINK);
      SparkRunnerSetup.serveSparkMetrics();
      assertThat(System.getProperty(SparkRunnerSetup.PROMETHEUS_SINK))
          .isEqualTo("org.apache.spark.metrics.sink.PrometheusServlet");
      assertThat(System.getProperty(SparkRunnerSetup.PROMETHEUS_PATH)).isEqualTo("/metrics/prometheus");
      System.setProperty(SparkRunnerSetup.PROMETHEUS_SINK, "com.example.TheirSink");
      SparkRunnerSetup.serveSparkMetrics();
      assertThat(System.getProperty(SparkRunnerSetup.PROMETHEUS_SINK)).isEqualTo("com.example.TheirSink");
    } finally {
      System.clearProperty(SparkRunnerSetup.PROMETHEUS_PATH);
      if (before == null) {
        System.clearProperty(SparkRunnerSetup.PROMETHEUS_SINK);
      } else {
        System.setProperty(SparkRunnerSetup.PROMETHEUS_SINK, before);
      }
    }
  }

  @Test
  void otherRunnersAreLeftAlone() {
    LoginEnrichmentOptions o = options();
    String before = System.getProperty(SparkRunnerSetup.PLUGINS);
    SparkRunnerSetup.prepare(o);
    assertThat(System.getProperty(SparkRunnerSetup.PLUGINS)).isEqualTo(before);
  }
}
