package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The demo stops cleanly whatever signal reaches its whole process group: Ctrl-C in a terminal
 * (INT) or TERM from {@code timeout}, a CI runner or systemd. {@code run.sh} runs in a process group
 * of its own, with Kafka and Cassandra of its own (ports and a data directory of their own, so it
 * starts and stops them itself whatever the suite's servers do). The group gets the signal at one of
 * three moments: mid-work (the sample logins sent, their windows still open), while the pipeline's
 * JVM starts, and while Cassandra starts (Kafka up). Within 30 s the script exits, a running
 * pipeline ended before the servers (both answered until its JVM was gone; no Kafka connection
 * warnings in its log), nothing it started is left, and the terminal shows no stack trace, no
 * forced shutdown, no bare "Terminated" and no colour escapes.
 */
class DemoStopIT {
  private static final Path DATA = Path.of("target", "demo-stop-it").toAbsolutePath();
  // Ports of its own, all of them (the suite's servers hold the defaults).
  private static final Map<String, Integer> PORTS =
      Map.of(
          "KAFKA_PORT", 9192,
          "KAFKA_CONTROLLER_PORT", 9193,
          "KAFKA_SASL_PORT", 9194,
          "CASSANDRA_PORT", 9242,
          "CASSANDRA_STORAGE_PORT", 7200);

  @BeforeAll
  static void portsAreFree() throws IOException {
    Assumptions.assumeTrue(RealServers.enabledRunnerProfiles().contains("direct"), "direct not in -DrunnerProfiles");
    PORTS.forEach((name, port) -> assertThat(RealServers.portOpen(port)).as(name + " " + port + " free").isFalse());
    Files.createDirectories(DATA);
  }

  @AfterAll
  static void stopLeftovers() throws Exception {
    // Only if a run failed half-way: servers.sh stops what its pid files in DATA name.
    RealServers.serversScript(env(), "stop", "all");
  }

  @ParameterizedTest(name = "{0} at \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "TERM | Sent ", // mid-work: the logins are sent, their windows not yet written
        "INT  | [run] starting the demo", // the pipeline's JVM starting
        "TERM | [servers] starting cassandra" // Kafka up, Cassandra starting
      })
  void aSignalToTheGroupStopsThePipelineThenTheServers(String signal, String moment) throws Exception {
    List<String> command =
        List.of(
            // A process group and session of its own, as a terminal or CI job gives the demo; with
            // the signals a terminal gives (the test JVM may have been started ignoring INT).
            "setsid", "env", "--default-signal=INT,TERM",
            "bash", "pipelines/login-enrichment/run.sh", "--profile", "direct", "--runFor=30m",
            "--bootstrapServers=127.0.0.1:" + PORTS.get("KAFKA_PORT"),
            "--cassandraPort=" + PORTS.get("CASSANDRA_PORT"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env());
    Process demo = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> read(demo, output), "demo-output");
    reader.setDaemon(true);
    reader.start();
    try {
      awaitLine(demo, output, moment, Duration.ofMinutes(8));
      boolean midWork = moment.startsWith("Sent");
      // The pipeline's JVM, if it is already there.
      ProcessHandle pipeline =
          ProcessHandle.of(demo.pid()).orElseThrow().descendants()
              .filter(p -> commandLine(p).contains("io.loginenrichment.tools.Demo"))
              .findFirst()
              .orElse(null);
      assertThat(pipeline != null || !midWork).as("pipeline running mid-work").isTrue();

      long signalled = System.nanoTime();
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + demo.pid()).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " to the group").isTrue();
      // When the pipeline ends and when each server stops answering, to the nearest 50 ms.
      double pipelineEnded = -1, kafkaDown = -1, cassandraDown = -1;
      while (demo.isAlive() && System.nanoTime() - signalled < Duration.ofSeconds(30).toNanos()) {
        double now = (System.nanoTime() - signalled) / 1e9;
        if (pipelineEnded < 0 && (pipeline == null || !pipeline.isAlive())) {
          pipelineEnded = now;
        }
        if (kafkaDown < 0 && !RealServers.portOpen(PORTS.get("KAFKA_PORT"))) {
          kafkaDown = now;
        }
        if (cassandraDown < 0 && !RealServers.portOpen(PORTS.get("CASSANDRA_PORT"))) {
          cassandraDown = now;
        }
        Thread.sleep(50);
      }
      boolean exited = demo.waitFor(1, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - signalled) / 1e9;
      reader.join(5_000);
      String text = String.join("\n", output);
      System.out.printf(
          "DemoStopIT %s at '%s': pipeline ended after %.1f s, Kafka down after %.1f s, Cassandra after %.1f s, run.sh exited=%s after %.1f s%n%s%n",
          signal, moment, pipelineEnded, kafkaDown, cassandraDown, exited, seconds, text);

      assertThat(exited).as("run.sh exited within 30 s of " + signal).isTrue();
      assertThat(pipelineEnded).as("pipeline ended").isNotNegative();
      assertThat(kafkaDown).as("Kafka down, after the pipeline").isGreaterThanOrEqualTo(pipelineEnded);
      assertThat(cassandraDown).as("Cassandra down, after the pipeline").isGreaterThanOrEqualTo(pipelineEnded);
      assertThat(demo.exitValue()).isEqualTo(signal.equals("INT") ? 130 : 143);
      // Each server's command line names the demo's data directory (so does the pipeline's): also
      // one still starting, not yet answering, when the signal came.
      assertThat(ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(DATA.toString())).map(p -> p.pid() + " " + commandLine(p)))
          .as("processes of the demo left anywhere").isEmpty();
      PORTS.forEach((name, port) -> assertThat(RealServers.portOpen(port)).as(name + " " + port + " answering").isFalse());
      assertThat(processesInSession(demo.pid())).as("processes left in the demo's session").isEmpty();

      assertThat(text)
          .contains("stopping kafka", "stopping cassandra")
          .doesNotContain("not started by this script", "did not stop", "forced after", "Exception in thread", "Terminated", "\u001b");
      assertThat(output).noneMatch(l -> l.matches("\\s+at [\\w.$]+\\(.*\\)") || l.startsWith("Caused by:"));
      if (midWork) {
        // Kafka stopped after the pipeline: no client lost its broker.
        Path log = DATA.resolve("demo.log");
        assertThat(text).contains("full log: ");
        assertThat(log).exists();
        assertThat(Files.readString(log)).doesNotContain("could not be established", "Node may not be available");
      }
    } finally {
      if (demo.isAlive()) {
        new ProcessBuilder("kill", "-KILL", "--", "-" + demo.pid()).start().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Map<String, String> env() {
    Map<String, String> env = new java.util.HashMap<>(Map.of("DATA_DIR", DATA.toString()));
    PORTS.forEach((name, port) -> env.put(name, String.valueOf(port)));
    return env;
  }

  private static void read(Process p, List<String> into) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        into.add(line);
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  private static void awaitLine(Process p, List<String> output, String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (output.stream().noneMatch(l -> l.startsWith(prefix))) {
      assertThat(p.isAlive()).as("demo running; output so far:\n" + String.join("\n", output)).isTrue();
      assertThat(System.nanoTime()).as("'" + prefix + "' within " + timeout + "; output:\n" + String.join("\n", output))
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  /** In full: {@code ProcessHandle.Info} cuts it at 4 kB, before the main class. */
  private static String commandLine(ProcessHandle p) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")), StandardCharsets.UTF_8);
    } catch (IOException gone) {
      return "";
    }
  }

  /** Pids still in session {@code sid} (the demo's: setsid made run.sh its leader). */
  private static List<String> processesInSession(long sid) throws IOException, InterruptedException {
    Process ps = new ProcessBuilder("ps", "-o", "pid=,args=", "-s", String.valueOf(sid)).start();
    List<String> lines = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    ps.waitFor(10, TimeUnit.SECONDS);
    return lines;
  }
}
