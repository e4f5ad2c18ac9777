package io.loginenrichment.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.options.LoginEnrichmentOptions;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class FlinkRunnerSetupTest {
  private static LoginEnrichmentOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(LoginEnrichmentOptions.class);
  }

  @Test
  void aPlainStatePathBecomesAnAbsoluteFileUri() {
    LoginEnrichmentOptions o = options("--runner=FlinkRunner", "--stateBackendStoragePath=.data/flink-checkpoint/x");
    FlinkRunnerSetup.prepare(o);
    String path = o.as(FlinkPipelineOptions.class).getStateBackendStoragePath();
    assertThat(path).startsWith("file:/").endsWith("/.data/flink-checkpoint/x");
    assertThat(Path.of(java.net.URI.create(path))).isAbsolute();
  }

  @Test
  void aUriIsKeptAndOtherRunnersAreLeftAlone() {
    LoginEnrichmentOptions flink = options("--runner=FlinkRunner", "--stateBackendStoragePath=hdfs:///checkpoints");
    FlinkRunnerSetup.prepare(flink);
    assertThat(flink.as(FlinkPipelineOptions.class).getStateBackendStoragePath()).isEqualTo("hdfs:///checkpoints");

    LoginEnrichmentOptions direct = options("--runner=DirectRunner", "--stateBackendStoragePath=relative");
    FlinkRunnerSetup.prepare(direct);
    assertThat(direct.as(FlinkPipelineOptions.class).getStateBackendStoragePath()).isEqualTo("relative");
  }
}
