package io.loginenrichment.spark;

import io.loginenrichment.options.CommitOffsets;
import io.loginenrichment.kafka.ReadLoginRecords;
import io.loginenrichment.options.LoginEnrichmentOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.beam.runners.spark.SparkContextOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.spark.streaming.api.java.JavaStreamingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a start on the SparkRunner needs before the pipeline runs; nothing on other runners. */
public final class SparkRunnerSetup {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRunnerSetup.class);
  static final String PLUGINS = "spark.plugins";

  private SparkRunnerSetup() {}

  public static void prepare(LoginEnrichmentOptions o) {
    if (!isSpark(o)) {
      return;
    }
    freshCheckpoint(o);
    keepSourceReadersOpen();
    reportMicroBatchTimes(o);
    serveSparkMetrics();
    stopStreamingFirstOnShutdown();
  }

  static final String PROMETHEUS_SINK = "spark.metrics.conf.*.sink.prometheusServlet.class";
  static final String PROMETHEUS_PATH = "spark.metrics.conf.*.sink.prometheusServlet.path";

  /**
   * Spark's own metrics (and, with {@code --enableSparkMetricSinks=true}, Beam's as Spark names
   * them) at {@code /metrics/prometheus} of the driver's UI, unless the user configured its sinks:
   * the executors, the JVMs and the streaming scheduler, beside the pipeline's endpoint.
   */
  static void serveSparkMetrics() {
    if (System.getProperty(PROMETHEUS_SINK) == null && System.getProperty("spark.metrics.conf") == null) {
      System.setProperty(PROMETHEUS_SINK, "org.apache.spark.metrics.sink.PrometheusServlet");
      System.setProperty(PROMETHEUS_PATH, "/metrics/prometheus");
    }
  }

  /** Logs slow micro-batches and a summary a minute ({@link MicroBatchTimes}), on the driver. */
  static void reportMicroBatchTimes(LoginEnrichmentOptions o) {
    SparkContextOptions spark = o.as(SparkContextOptions.class);
    List<JavaStreamingListener> listeners = new ArrayList<>(spark.getListeners());
    listeners.add(new MicroBatchTimes(spark.getBatchIntervalMillis()));
    spark.setListeners(listeners);
  }

  static boolean isSpark(LoginEnrichmentOptions o) {
    return o.getRunner().getSimpleName().contains("SparkRunner");
  }

  /**
   * With offsets committed after writes, the consumer group is the whole truth about progress. A
   * restored Spark checkpoint would resume from its own reader marks instead, which can be past
   * logins that were read but never written; so each start on Spark gets a checkpoint directory
   * of its own under {@code --checkpointDir} (older local ones are removed).
   */
  public static void freshCheckpoint(LoginEnrichmentOptions o) {
    if (o.getCommitOffsets() != CommitOffsets.AFTER_WRITE || !isSpark(o)) {
      return;
    }
    SparkPipelineOptions spark = o.as(SparkPipelineOptions.class);
    String base = spark.getCheckpointDir();
    if (!base.contains("://") || base.startsWith("file:")) {
      Path dir = Path.of(base.replaceFirst("^file:(//)?", ""));
      try (Stream<Path> old = Files.list(dir)) {
        old.filter(p -> p.getFileName().toString().startsWith("run-")).forEach(SparkRunnerSetup::deleteTree);
      } catch (IOException | UncheckedIOException noDirectoryYet) {
        // Nothing to clean.
      }
    }
    spark.setCheckpointDir(base.replaceAll("/+$", "") + "/run-" + System.currentTimeMillis());
  }

  /**
   * {@link SourceReaderCache} in this JVM (the local master's executor runs here) and, through
   * {@code spark.plugins}, which Spark reads from system properties, on every executor of a
   * cluster. A plugin list the user set is kept.
   */
  public static void keepSourceReadersOpen() {
    SourceReaderCache.install();
    String plugin = SourceReaderCachePlugin.class.getName();
    String existing = System.getProperty(PLUGINS, "").trim();
    if (!existing.contains(plugin)) {
      System.setProperty(PLUGINS, existing.isEmpty() ? plugin : existing + "," + plugin);
    }
  }

  private static final AtomicBoolean STOP_HOOK = new AtomicBoolean();

  /**
   * On TERM or Ctrl-C, stops the streaming context before Spark's own shutdown hooks run. Spark
   * stops its in-process executor first (priority 100) and the streaming context only then (51): a
   * micro-batch that is reading its sources meanwhile waits for tasks no executor will run, and
   * the JVM hangs until Hadoop's 30 s hook timeout. Stopped first, the batch's tasks still end.
   * (Spark's hook manager is Spark-internal in Scala, public in the bytecode.)
   */
  static void stopStreamingFirstOnShutdown() {
    if (STOP_HOOK.compareAndSet(false, true)) {
      org.apache.spark.util.ShutdownHookManager.addShutdownHook(
          org.apache.spark.util.ShutdownHookManager.DEFAULT_SHUTDOWN_PRIORITY() + 1,
          () -> {
            stopStreamingNow();
            return scala.runtime.BoxedUnit.UNIT;
          });
    }
  }

  /**
   * Stops the running streaming context (and Spark) at once, without waiting for queued
   * micro-batches as Beam's cancel does (up to 10 batch intervals, holding the context's lock).
   */
  public static void stopStreamingNow(LoginEnrichmentOptions o) {
    if (isSpark(o)) {
      stopStreamingNow();
    }
  }

  private static void stopStreamingNow() {
    // The micro-batch that runs is interrupted: its thread's exception belongs in the log, not on
    // the terminal.
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> LOG.info("While stopping, thread {} ended with {}", t.getName(), e.toString(), e));
    scala.Option<org.apache.spark.streaming.StreamingContext> active =
        org.apache.spark.streaming.StreamingContext.getActive();
    if (active.isDefined()) {
      active.get().stop(true, false);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: an old checkpoint left behind only costs disk.
    }
  }
}
