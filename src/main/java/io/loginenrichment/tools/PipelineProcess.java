package io.loginenrichment.tools;

import io.loginenrichment.LoginEnrichmentPipeline;
import io.loginenrichment.monitoring.CounterReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The pipeline in a JVM of its own, as in production: its memory is measured alone and it can be
 * killed. Its counters arrive as {@link CounterReport} lines on stdout; everything else goes to a
 * log file.
 */
public final class PipelineProcess implements AutoCloseable {
  /** One counters line: when it was printed and the values. */
  public record Sample(long epochMillis, Map<String, Long> counters) {
    public long get(String name) {
      return counters.getOrDefault(name, 0L);
    }
  }

  private final Process process;
  private final Path log;
  private final List<String> otherOutput = new CopyOnWriteArrayList<>();
  private final long startedMillis = System.currentTimeMillis();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private volatile long peakRssBytes;

  private PipelineProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code main} (by default the pipeline) with this JVM's classpath, the Spark module
   * flags of {@code .mvn/jvm.config}, {@code jvmArgs} and {@code args}; output goes to {@code log}.
   */
  public static PipelineProcess start(String mainClass, List<String> jvmArgs, List<String> args, Path log)
      throws IOException {
    return start(mainClass, jvmArgs, args, Map.of(), log);
  }

  /** As above, with extra environment variables (e.g. credentials). */
  public static PipelineProcess start(
      String mainClass, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    return start(javaCommand(mainClass, jvmArgs, args), env, log);
  }

  /**
   * Another program on a classpath of its own (e.g. the original design, whose Spark and Scala
   * jars clash with the pipeline's); it reports progress as {@link CounterReport} lines too.
   */
  public static PipelineProcess startOnClasspath(
      String classpath, String mainClass, List<String> jvmArgs, List<String> args, Path log) throws IOException {
    return start(javaCommand(classpath, mainClass, jvmArgs, args), Map.of(), log);
  }

  private static PipelineProcess start(List<String> command, Map<String, String> env, Path log) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false).redirectError(log.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    PipelineProcess pp = new PipelineProcess(p, log);
    Thread reader = new Thread(pp::readCounters, "counters-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    Thread rss = new Thread(pp::trackRss, "rss-" + p.pid());
    rss.setDaemon(true);
    rss.start();
    return pp;
  }

  /** {@code java} with a classpath and Spark's module flags, running {@code mainClass}. */
  public static List<String> javaCommand(String mainClass, List<String> jvmArgs, List<String> args) throws IOException {
    return javaCommand(System.getProperty("java.class.path"), mainClass, jvmArgs, args);
  }

  private static List<String> javaCommand(String classpath, String mainClass, List<String> jvmArgs, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(sparkModuleFlags());
    command.add("-Dspark.driver.host=127.0.0.1");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  public static PipelineProcess startPipeline(List<String> jvmArgs, List<String> args, Path log) throws IOException {
    return startPipeline(jvmArgs, args, Map.of(), log);
  }

  public static PipelineProcess startPipeline(
      List<String> jvmArgs, List<String> args, Map<String, String> env, Path log) throws IOException {
    return start(LoginEnrichmentPipeline.class.getName(), jvmArgs, args, env, log);
  }

  static List<String> sparkModuleFlags() throws IOException {
    Path config = Path.of(".mvn", "jvm.config");
    if (!Files.exists(config)) {
      return List.of();
    }
    return List.of(Files.readString(config).trim().split("\\s+"));
  }

  private void readCounters() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Map<String, Long> c = CounterReport.parse(line);
        if (c != null) {
          Long t = c.remove("t");
          samples.add(new Sample(t == null ? System.currentTimeMillis() : t, c));
        } else if (otherOutput.size() < 10_000) {
          otherOutput.add(line);
        }
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  /** VmHWM is the kernel's own peak; polling it also catches the peak if the process is killed. */
  private void trackRss() {
    while (process.isAlive()) {
      long hwm = ProcessMemory.peakRssBytes(process.pid());
      if (hwm > peakRssBytes) {
        peakRssBytes = hwm;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Where its stderr (the log) goes. */
  public Path log() {
    return log;
  }

  /** Lines it printed on stdout other than counters. */
  public List<String> otherOutput() {
    return List.copyOf(otherOutput);
  }

  public long pid() {
    return process.pid();
  }

  public long startedMillis() {
    return startedMillis;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit by itself; its exit code, or empty if still running. */
  public java.util.OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? java.util.OptionalInt.of(process.exitValue())
        : java.util.OptionalInt.empty();
  }

  public long peakRssBytes() {
    return Math.max(peakRssBytes, ProcessMemory.peakRssBytes(process.pid()));
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  public Sample latest() {
    return samples.isEmpty() ? new Sample(startedMillis, Map.of()) : samples.get(samples.size() - 1);
  }

  /** Waits until a counters line satisfies {@code done}; fails if the process dies or time runs out. */
  public Sample awaitCounters(Predicate<Sample> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Sample s = latest();
      if (done.test(s)) {
        return s;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the pipeline exited with code " + process.exitValue() + " (see its log)");
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("timed out after " + timeout + "; last counters " + latest().counters());
  }

  /** {@code kill -9}: no shutdown hook, no flush, like a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
