package io.loginenrichment.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.options.LoginEnrichmentOptions;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void onlyAClusterAddressIsRemote() {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setFlinkMaster("[local]");
    assertThat(FlinkRunnerSetup.isRemote(o)).isFalse();
    o.setFlinkMaster("[auto]");
    assertThat(FlinkRunnerSetup.isRemote(o)).isFalse();
    o.setFlinkMaster("127.0.0.1:8091");
    assertThat(FlinkRunnerSetup.isRemote(o)).isTrue();
  }

  @Test
  void theClusterGetsTheClasspathWithoutFlinkSparkOrScala() {
    List<String> classpath =
        List.of(
            "/work/target/classes",
            "/home/u/.m2/repository/org/apache/beam/beam-runners-flink-1.19/2.70.0/beam-runners-flink-1.19-2.70.0.jar",
            "/home/u/.m2/repository/org/apache/flink/flink-runtime/1.19.0/flink-runtime-1.19.0.jar",
            "/home/u/.m2/repository/org/apache/spark/spark-core_2.12/3.5.9/spark-core_2.12-3.5.9.jar",
            "/home/u/.m2/repository/org/scala-lang/scala-library/2.12.18/scala-library-2.12.18.jar",
            "/home/u/.m2/repository/com/fasterxml/jackson/module/jackson-module-scala_2.12/2.15.4/jackson-module-scala_2.12-2.15.4.jar",
            "/home/u/.m2/repository/org/apache/kafka/kafka-clients/3.9.1/kafka-clients-3.9.1.jar",
            "/opt/job/login-enrichment-bundled.jar");

    assertThat(FlinkRunnerSetup.withoutProvidedJars(classpath))
        .containsExactly(
            "/work/target/classes",
            "/home/u/.m2/repository/org/apache/beam/beam-runners-flink-1.19/2.70.0/beam-runners-flink-1.19-2.70.0.jar",
            "/home/u/.m2/repository/org/apache/kafka/kafka-clients/3.9.1/kafka-clients-3.9.1.jar",
            "/opt/job/login-enrichment-bundled.jar");
  }
}
