package io.loginenrichment.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loginenrichment.bench.RunnerProfiles.Family;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs from the repository's root (see the pom's surefire configuration), as the benchmark does. */
class RunnerProfilesTest {
  private static final Path OUT = Path.of("target", "bench");

  @Test
  void eachProfileRunsWithItsRunnersJars() {
    assertEquals(Family.SPARK, Family.of("spark-local"));
    assertEquals(Family.SPARK, Family.of("spark-standalone"));
    assertEquals(Family.FLINK, Family.of("flink-local"));
    assertEquals(Family.DIRECT, Family.of("direct"));
    assertEquals("pipeline-classpath-flink.txt", Family.FLINK.classpathFile());
  }

  @Test
  void flinkKeepsItsStateUnderTheBenchmarksOutputFreshPerRun() {
    String dir = OUT.resolve("checkpoint").resolve("bench-drain-flink-local-1").toAbsolutePath().toString();
    assertEquals(
        List.of("--stateBackendStoragePath=" + dir), RunnerProfiles.stateArgs("flink-local", OUT, "bench-drain-flink-local-1"));
    assertEquals(
        List.of("--checkpointDir=" + OUT.resolve("checkpoint").resolve("g").toAbsolutePath()),
        RunnerProfiles.stateArgs("spark-local", OUT, "g"));
    assertEquals(List.of(), RunnerProfiles.stateArgs("direct", OUT, "g"));
  }

  @Test
  void anOverrideReplacesTheProfilesOptionInsteadOfRepeatingIt() throws Exception {
    String state = "--stateBackendStoragePath=/tmp/bench/checkpoint/g";
    List<String> args = RunnerProfiles.args("flink-local", List.of(state, "--countersInterval=1s"));
    assertTrue(args.contains("--runner=FlinkRunner"), args::toString);
    assertTrue(args.contains(state), args::toString);
    assertEquals(1, args.stream().filter(a -> a.startsWith("--stateBackendStoragePath=")).count(), args::toString);
    assertTrue(args.contains("--countersInterval=1s"), args::toString);
  }
}
