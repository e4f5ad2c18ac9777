package io.loginenrichment.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Map<String, Object> drain(long eventsPerS, boolean correct) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("events", 100_000L);
    d.put("users", 10_000L);
    d.put("events_per_s", eventsPerS);
    d.put("drain_s", 10.0);
    d.put("startup_s", 5.0);
    d.put("cassandra_writes", 20_000L);
    d.put("table_correct", correct);
    d.put("logins_lost_in_grouping", 0L);
    d.put("pipeline_peak_rss_mb", 900L);
    d.put("pipeline_heap", "1g");
    return d;
  }

  private static Map<String, Object> freshness(String runner, long p99Millis) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("runner", runner);
    f.put("rate_per_s", 2_000L);
    f.put("measured_s", 180L);
    f.put("measured_from_s", 181.0);
    f.put("caught_up_before_measuring", true);
    f.put("window_end_to_visible_ms", Map.of("p50", 0L, "p95", 1_100L, "p99", p99Millis, "max", 2_500L));
    f.put("produce_to_visible_ms", Map.of("p50", 0L, "p95", 2_000L, "p99", 2_800L, "max", 3_000L));
    f.put("events_never_visible", 0L);
    f.put("pipeline_peak_rss_mb", 1_200L);
    return f;
  }

  private static List<String> rows(String markdown, String prefix) {
    return markdown.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void flinkGetsDrainAndFreshnessRowsBesideSparkInTheOrderTheyRan() {
    Map<String, Object> drain = new LinkedHashMap<>();
    drain.put("backlog", Map.of("events", 100_000L));
    drain.put("ceiling", Map.of("events_per_s", 20_000L, "drain_s", 5.0, "cassandra_writes", 30_000L, "table_correct", true));
    drain.put("spark-local", drain(10_000L, true));
    drain.put("flink-local", drain(8_000L, true));
    Map<String, Object> fresh = new LinkedHashMap<>();
    fresh.put("spark-local", freshness("spark-local", 1_400L));
    fresh.put("flink-local", freshness("flink-local", 6_000L));
    String md = Report.markdown(Map.of("drain", drain, "freshness", fresh), List.of());

    List<String> drains = rows(md, "| Drain, ");
    assertEquals(2, drains.size(), md);
    assertTrue(drains.get(0).startsWith("| Drain, spark-local: 100,000 events / 10,000 users | 10,000 ev/s (50% of ceiling)"), md);
    assertTrue(drains.get(1).startsWith("| Drain, flink-local: 100,000 events / 10,000 users | 8,000 ev/s (40% of ceiling)"), md);
    assertTrue(drains.get(1).endsWith("| yes |"), drains.get(1));
    assertEquals(1, rows(md, "| Pipeline JVM peak RSS, flink-local drain | 900 MB (-Xmx1g)").size(), md);
    assertEquals(1, rows(md, "| Ceiling ").size(), md);

    List<String> fresh2 = rows(md, "| Freshness, ");
    assertEquals(2, fresh2.size(), md);
    assertTrue(fresh2.get(0).contains("spark-local") && fresh2.get(0).endsWith("| yes |"), fresh2.get(0));
    assertTrue(
        fresh2.get(1).contains("| p50 0.0 s, p95 1.1 s, p99 6.0 s, max 2.5 s (produce → visible p99 2.8 s; 0 never visible), peak RSS 1,200 MB |"),
        fresh2.get(1));
    assertTrue(fresh2.get(1).endsWith("| **no** |"), fresh2.get(1));
  }

  @Test
  void theTargetsAreTheDeployedPipelinesNotTheDirectRunners() {
    Map<String, Object> drain = new LinkedHashMap<>();
    drain.put("ceiling", Map.of("events_per_s", 100_000L));
    drain.put("flink-local", drain(10_000L, true));
    drain.put("direct", drain(10_000L, true));
    List<String> drains = rows(Report.markdown(Map.of("drain", drain), List.of()), "| Drain, ");
    assertTrue(drains.get(0).endsWith("| ≥ 1.0x the original design and ≥ 25% of ceiling, table exact, 0 lost | **no** |"), drains.get(0));
    assertTrue(drains.get(1).endsWith("| table exact | yes |"), drains.get(1));
  }

  @Test
  void aFreshnessRunThatFailedIsARowSayingSo() {
    Map<String, Object> fresh = new LinkedHashMap<>();
    fresh.put("spark-local", freshness("spark-local", 1_400L));
    fresh.put("flink-local", Map.of("error", "java.lang.IllegalStateException: the pipeline exited with code 1"));
    List<String> rows = rows(Report.markdown(Map.of("freshness", fresh), List.of()), "| Freshness, ");
    assertEquals(
        "| Freshness, flink-local | did not finish: java.lang.IllegalStateException: the pipeline exited with code 1 | p99 ≤ 5 s | **no** |",
        rows.get(1));
  }

  @Test
  void resultsWrittenWithOneFreshnessRunStillRender() {
    Map<String, Map<String, Object>> runs = Report.freshnessRuns(Map.of("freshness", freshness("spark-local", 1_400L)));
    assertEquals(List.of("spark-local"), List.copyOf(runs.keySet()));
    List<String> rows = rows(Report.markdown(Map.of("freshness", freshness("spark-local", 1_400L)), List.of()), "| Freshness, ");
    assertEquals(1, rows.size());
    assertTrue(rows.get(0).startsWith("| Freshness, spark-local, 2,000 ev/s for 180 s from 181 s after launch (caught up)"), rows.get(0));
  }
}
