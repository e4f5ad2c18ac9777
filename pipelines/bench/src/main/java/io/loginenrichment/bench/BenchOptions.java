package io.loginenrichment.bench;

import io.loginenrichment.options.CassandraOptions;
import io.loginenrichment.options.KafkaOptions;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Sizes and switches of the benchmark; the defaults are the scenario described in docs/benchmarks.md. */
public interface BenchOptions extends KafkaOptions, CassandraOptions {
  @Description("Stages to run, in order: drain (with the ceiling), ceiling, original (the design this project replaces), freshness, sideinput, writer")
  @Default.String("drain,original,freshness,sideinput,writer")
  String getStages();

  void setStages(String value);

  @Description(
      "Runner profiles (runner-profiles/<name>) the drain is measured on, one run each, in order; each"
          + " pipeline JVM gets its runner's jars (spark-*: Spark, flink-*: Flink, others: the DirectRunner)")
  @Default.String("spark-local,flink-local,direct")
  String getDrainProfiles();

  void setDrainProfiles(String value);

  @Description("Drain: events preloaded into the backlog topic")
  @Default.Long(1_000_000)
  long getEvents();

  void setEvents(long value);

  @Description("Drain: distinct known users the events are drawn from (Zipf)")
  @Default.Integer(100_000)
  int getUsers();

  void setUsers(int value);

  @Description("Drain: how long a run may take before it is reported as failed")
  @Default.String("20m")
  String getDrainTimeout();

  void setDrainTimeout(String value);

  @Description("Extra pipeline options for every pipeline run, ';'-separated (e.g. --readTimePercentage=0.5)")
  @Default.String("")
  String getPipelineArgs();

  void setPipelineArgs(String value);

  @Description("Maximum heap of the pipeline's JVM (-Xmx)")
  @Default.String("1g")
  String getPipelineHeap();

  void setPipelineHeap(String value);

  @Description("Freshness: events per second of the steady stream")
  @Default.Integer(2_000)
  int getFreshnessRate();

  void setFreshnessRate(int value);

  @Description("Freshness: how long the measured stream runs (after a warm-up)")
  @Default.String("3m")
  String getFreshnessDuration();

  void setFreshnessDuration(String value);

  @Description(
      "Freshness: least warm-up before measuring; measuring also waits until the pipeline has caught"
          + " up with the stream (at most 3 warm-ups). On spark-local the first micro-batches (cold JIT,"
          + " Kafka consumers, the backlog sent during launch) queue 20-50 s of batches that take 2-3"
          + " minutes to work off at 2,000 ev/s; what is measured after is the steady state")
  @Default.String("180s")
  String getFreshnessWarmup();

  void setFreshnessWarmup(String value);

  @Description("Freshness: users that receive logins")
  @Default.Integer(10_000)
  int getFreshnessUsers();

  void setFreshnessUsers(int value);

  @Description("Freshness: users whose rows are polled to time visibility (a sample of the users that receive logins)")
  @Default.Integer(200)
  int getFreshnessProbedUsers();

  void setFreshnessProbedUsers(int value);

  @Description("Freshness: the pipeline's --maxOutOfOrderness")
  @Default.String("1s")
  String getFreshnessMaxOutOfOrderness();

  void setFreshnessMaxOutOfOrderness(String value);

  @Description("Freshness: runner profiles (runner-profiles/<name>) measured, one run each, in order")
  @Default.String("spark-local,flink-local")
  String getFreshnessProfiles();

  void setFreshnessProfiles(String value);

  @Description("Side input: users table sizes to load")
  @Default.String("100000,1000000")
  String getSideInputSizes();

  void setSideInputSizes(String value);

  @Description("Side input: heap limit of the JVM that loads the snapshot (the target)")
  @Default.String("500m")
  String getSideInputHeap();

  void setSideInputHeap(String value);

  @Description("Side input: refresh interval during the stall check with the largest table")
  @Default.String("30s")
  String getStallRefreshInterval();

  void setStallRefreshInterval(String value);

  @Description(
      "Side input: runner profile of the stall check (its micro-batch figures come from the Spark"
          + " driver's log, so a Spark profile)")
  @Default.String("spark-local")
  String getStallProfile();

  void setStallProfile(String value);

  @Description("Side input: how long the stall check streams")
  @Default.String("90s")
  String getStallDuration();

  void setStallDuration(String value);

  @Description("Writer: Cluster opens timed to price one")
  @Default.Integer(10)
  int getClusterOpens();

  void setClusterOpens(int value);

  @Description("Where results.json, results.md, the plots and the pipelines' logs go")
  @Default.String("target/bench")
  String getOutputDir();

  void setOutputDir(String value);

  @Description("Random seed of the generated events")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  static List<String> list(String csv) {
    return List.of(csv.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
