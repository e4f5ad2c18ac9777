package io.loginenrichment.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** results.json, results.md (the table copied into docs/benchmarks.md) and the PNG plots, from one results map. */
final class Report {
  private Report() {}

  static void write(Map<String, Object> results, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), results);
    List<String> plots = new ArrayList<>();
    plotDrain(results, dir, plots);
    plotFreshness(results, dir, plots);
    plotSideInput(results, dir, plots);
    String md = markdown(results, plots);
    Files.writeString(dir.resolve("results.md"), md, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(md);
    System.out.println("Written: " + dir.resolve("results.json") + ", results.md and " + plots);
  }

  /** Re-renders the table and plots from a results.json: {@code Report <results.json> <dir>}. */
  public static void main(String[] args) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> results = new ObjectMapper().readValue(Path.of(args[0]).toFile(), Map.class);
    write(results, Path.of(args[1]));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  static String markdown(Map<String, Object> r, List<String> plots) {
    StringBuilder sb = new StringBuilder();
    Map<String, Object> env = map(r.get("environment"));
    sb.append("Run ").append(r.get("finished")).append(" on ").append(env.get("cores")).append(" cores, ")
        .append("everything co-located (Kafka, Cassandra, pipeline, load generator).\n\n");
    sb.append("| Measure | Result | Target | Met |\n|---|---|---|---|\n");
    Map<String, Object> drain = map(r.get("drain"));
    Map<String, Object> ceiling = map(drain.get("ceiling"));
    long ceilingRate = num(ceiling.get("events_per_s"));
    Map<String, Object> original = map(drain.get("original"));
    long originalRate = num(original.get("events_per_s"));
    for (String runner : drainRunners(drain)) {
      Map<String, Object> d = map(drain.get(runner));
      if (d.containsKey("error")) {
        sb.append(String.format("| Drain, %s | did not finish: %s | | **no** |%n", runner, d.get("error")));
        continue;
      }
      long rate = num(d.get("events_per_s"));
      String share = ceilingRate > 0 ? String.format("%.0f%% of ceiling", 100.0 * rate / ceilingRate) : "no ceiling";
      // The targets are the deployed pipeline's; the DirectRunner is for tests.
      boolean target = !runner.equals("direct");
      boolean fastEnough =
          ceilingRate > 0 && rate * 4 >= ceilingRate && (originalRate == 0 || rate >= originalRate);
      sb.append(String.format(
          "| Drain, %s: %,d events / %,d users | %,d ev/s (%s%s), %.1f s + %.1f s start-up, %,d writes, table %s, %,d lost in grouping | %s | %s |%n",
          runner, num(d.get("events")), num(d.get("users")), rate, share,
          originalRate > 0 ? String.format(", %.2fx the original design", (double) rate / originalRate) : "",
          dbl(d.get("drain_s")), dbl(d.get("startup_s")),
          num(d.get("cassandra_writes")), Boolean.TRUE.equals(d.get("table_correct")) ? "correct" : "WRONG",
          num(d.get("logins_lost_in_grouping")),
          target ? "≥ 1.0x the original design and ≥ 25% of ceiling, table exact, 0 lost" : "table exact",
          met((!target || fastEnough)
              && Boolean.TRUE.equals(d.get("table_correct"))
              && num(d.get("logins_lost_in_grouping")) == 0)));
      sb.append(String.format("| Pipeline JVM peak RSS, %s drain | %,d MB (-Xmx%s) | ≤ 2,048 MB | %s |%n",
          runner, num(d.get("pipeline_peak_rss_mb")), d.get("pipeline_heap"), met(num(d.get("pipeline_peak_rss_mb")) <= 2048)));
    }
    if (original.containsKey("error")) {
      sb.append(String.format("| Original design | did not finish: %s | reference | |%n", original.get("error")));
    } else if (!original.isEmpty()) {
      sb.append(String.format(
          "| Original design (Structured Streaming stream-static join, local[2]) | %,d ev/s, %.1f s + %.1f s start-up, %.1f%% of rows right (%,d wrong), peak RSS %,d MB | reference | |%n",
          originalRate, dbl(original.get("drain_s")), dbl(original.get("startup_s")), dbl(original.get("rows_right_pct")),
          num(original.get("mismatched_rows")), num(original.get("pipeline_peak_rss_mb"))));
    }
    if (!ceiling.isEmpty()) {
      sb.append(String.format("| Ceiling (plain consumer + async upserts) | %,d ev/s, %.1f s, %,d writes, table %s | reference | |%n",
          ceilingRate, dbl(ceiling.get("drain_s")), num(ceiling.get("cassandra_writes")),
          Boolean.TRUE.equals(ceiling.get("table_correct")) ? "correct" : "WRONG"));
    }
    for (Map.Entry<String, Map<String, Object>> e : freshnessRuns(r).entrySet()) {
      Map<String, Object> fresh = e.getValue();
      if (fresh.containsKey("error")) {
        sb.append(String.format("| Freshness, %s | did not finish: %s | p99 ≤ 5 s | **no** |%n", e.getKey(), fresh.get("error")));
        continue;
      }
      Map<String, Object> w = map(fresh.get("window_end_to_visible_ms"));
      Map<String, Object> pr = map(fresh.get("produce_to_visible_ms"));
      sb.append(String.format(
          "| Freshness, %s, %,d ev/s for %d s from %.0f s after launch (%s): window end → visible | p50 %.1f s, p95 %.1f s, p99 %.1f s, max %.1f s (produce → visible p99 %.1f s; %d never visible), peak RSS %,d MB | p99 ≤ 5 s | %s |%n",
          e.getKey(), num(fresh.get("rate_per_s")), num(fresh.get("measured_s")), dbl(fresh.get("measured_from_s")),
          Boolean.TRUE.equals(fresh.get("caught_up_before_measuring")) ? "caught up" : "NOT caught up", num(w.get("p50")) / 1000.0,
          num(w.get("p95")) / 1000.0, num(w.get("p99")) / 1000.0, num(w.get("max")) / 1000.0, num(pr.get("p99")) / 1000.0,
          num(fresh.get("events_never_visible")), num(fresh.get("pipeline_peak_rss_mb")),
          met(num(w.get("p99")) <= 5000 && num(fresh.get("events_never_visible")) == 0)));
    }
    Map<String, Object> side = map(r.get("sideinput"));
    for (Map.Entry<String, Object> e : side.entrySet()) {
      if (e.getKey().equals("stall_check") || !e.getKey().matches("\\d+")) {
        continue;
      }
      Map<String, Object> s = map(e.getValue());
      sb.append(String.format(
          "| Users side input, %,d rows: one load | %.1f s, %,d MB retained heap (JVM capped at %s: %s) | ≤ 20 s, ≤ 500 MB | %s |%n",
          Long.parseLong(e.getKey()), dbl(s.get("load_s")), num(s.get("retained_heap_mb")),
          s.get("heap_limit"), Boolean.TRUE.equals(s.get("fits_in_heap_limit")) ? "fits" : "FAILED",
          met(Boolean.TRUE.equals(s.get("fits_in_heap_limit")) && dbl(s.get("load_s")) <= 20 && num(s.get("retained_heap_mb")) <= 500)));
    }
    Map<String, Object> stall = map(side.get("stall_check"));
    if (!stall.isEmpty()) {
      Map<String, Object> w = map(stall.get("window_end_to_visible_ms"));
      Map<String, Object> batches = map(stall.get("micro_batches"));
      sb.append(String.format(
          "| Main stream during refreshes (%,d-row table, refresh every %s, %d refreshes) | micro-batches over 2 intervals: %d (of %d summarized, slowest %.1f s); longest pause in consumption %.1f s; window end → visible p99 %.1f s, %d never visible | no micro-batch over 2 intervals | %s |%n",
          num(stall.get("table_rows")), stall.get("users_refresh_interval"), list(stall.get("users_refreshes")).size(),
          num(batches.get("over_2_intervals")), num(batches.get("batches_summarized")), num(batches.get("processing_max_ms")) / 1000.0,
          dbl(stall.get("longest_consumption_pause_s")), num(w.get("p99")) / 1000.0, num(stall.get("events_never_visible")),
          met(num(batches.get("over_2_intervals")) == 0 && num(batches.get("batches_summarized")) > 0
              && num(stall.get("events_never_visible")) == 0)));
    }
    Map<String, Object> writer = map(r.get("writer"));
    if (!writer.isEmpty()) {
      sb.append(String.format(
          "| Writer: CassandraIO Cluster per bundle | %d ms per open (%d ms of it closing), %,d opened in the Spark drain (%.1f/s), ≈%.1f%% of task time; drain %,d ev/s with CassandraIO vs %,d ev/s with the shared session | measure; fix if it dominates | |%n",
          num(writer.get("cluster_open_ms_mean")), num(writer.get("of_which_close_ms_mean")),
          num(writer.get("clusters_opened_during_drain")), dbl(writer.get("clusters_opened_per_s")),
          dbl(writer.get("share_of_task_time_pct")), num(writer.get("cassandra_io_events_per_s")),
          num(writer.get("shared_session_events_per_s"))));
    }
    sb.append('\n');
    for (String p : plots) {
      sb.append("![").append(p).append("](").append(p).append(")\n");
    }
    return sb.toString();
  }

  /** The runner profiles drained (drain.<profile>), in the order they ran. */
  static List<String> drainRunners(Map<String, Object> drain) {
    return drain.keySet().stream().filter(k -> !List.of("backlog", "ceiling", "original").contains(k)).toList();
  }

  /**
   * The freshness runs by runner profile: freshness.<profile>, or, in a results.json written before
   * there was one run per profile, the one run that freshness was.
   */
  static Map<String, Map<String, Object>> freshnessRuns(Map<String, Object> r) {
    Map<String, Object> fresh = map(r.get("freshness"));
    Map<String, Map<String, Object>> runs = new LinkedHashMap<>();
    if (fresh.containsKey("runner")) {
      runs.put(String.valueOf(fresh.get("runner")), fresh);
    } else {
      fresh.forEach((profile, run) -> runs.put(profile, map(run)));
    }
    return runs;
  }

  private static String met(boolean yes) {
    return yes ? "yes" : "**no**";
  }

  static long num(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  static double dbl(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }

  private static void plotDrain(Map<String, Object> r, Path dir, List<String> plots) throws IOException {
    Map<String, Object> drain = map(r.get("drain"));
    if (drain.isEmpty()) {
      return;
    }
    DefaultCategoryDataset rates = new DefaultCategoryDataset();
    XYSeriesCollection progress = new XYSeriesCollection();
    for (Map.Entry<String, Object> e : drain.entrySet()) {
      Map<String, Object> d = map(e.getValue());
      if (d.containsKey("events_per_s")) {
        rates.addValue(num(d.get("events_per_s")), "events/s", e.getKey());
      }
      if (e.getKey().equals("ceiling") || !d.containsKey("progress")) {
        continue;
      }
      List<Object> points = list(d.get("progress"));
      if (!points.isEmpty()) {
        progress.addSeries(series(e.getKey(), points));
      }
    }
    JFreeChart bar =
        ChartFactory.createBarChart("Drain rate (" + drain.values().stream().map(Report::map)
            .mapToLong(d -> num(d.get("events"))).max().orElse(0) + " events)", "", "events/s", rates,
            PlotOrientation.VERTICAL, false, false, false);
    ChartUtils.saveChartAsPNG(dir.resolve("drain-rate.png").toFile(), bar, 640, 400);
    plots.add("drain-rate.png");
    if (progress.getSeriesCount() > 0) {
      JFreeChart line =
          ChartFactory.createXYLineChart("Backlog consumed", "seconds since launch", "events counted", progress,
              PlotOrientation.VERTICAL, true, false, false);
      ChartUtils.saveChartAsPNG(dir.resolve("drain-progress.png").toFile(), line, 640, 400);
      plots.add("drain-progress.png");
    }
  }

  private static void plotFreshness(Map<String, Object> r, Path dir, List<String> plots) throws IOException {
    plotTimeline(freshnessRuns(r), "Freshness: window end to row visible", dir, "freshness.png", plots);
    Map<String, Object> stall = map(map(r.get("sideinput")).get("stall_check"));
    plotTimeline(stall.isEmpty() ? Map.of() : Map.of(String.valueOf(stall.get("runner")), stall),
        "During users refreshes (dashed lines)", dir, "refresh-stall.png", plots);
  }

  /** One series of sampled events per run (by runner profile); a legend when there are several. */
  private static void plotTimeline(
      Map<String, Map<String, Object>> runs, String title, Path dir, String file, List<String> plots) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, Map<String, Object>> e : runs.entrySet()) {
      List<Object> points = list(e.getValue().get("timeline"));
      if (!points.isEmpty()) {
        data.addSeries(series(e.getKey(), points));
      }
    }
    if (data.getSeriesCount() == 0) {
      return;
    }
    JFreeChart chart =
        ChartFactory.createScatterPlot(title, "seconds since launch (when produced)", "seconds after window end",
            data, PlotOrientation.VERTICAL, data.getSeriesCount() > 1, false, false);
    XYPlot plot = chart.getXYPlot();
    // Users reloads as dashed lines, for one run only: several runs' seconds are each their own.
    List<Object> refreshes = runs.size() == 1 ? list(runs.values().iterator().next().get("users_refreshes")) : List.of();
    for (Object t : refreshes) {
      ValueMarker m = new ValueMarker(dbl(t), Color.GRAY,
          new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
      plot.addDomainMarker(m);
    }
    ValueMarker target = new ValueMarker(5.0, Color.RED, new BasicStroke(1.5f));
    plot.addRangeMarker(target);
    ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, 640, 400);
    plots.add(file);
  }

  /** [x, y] points, as measured (double[]) or read back from results.json (lists). */
  private static XYSeries series(String name, List<Object> points) {
    XYSeries s = new XYSeries(name);
    for (Object p : points) {
      if (p instanceof double[] xy) {
        s.add(xy[0], xy[1]);
      } else {
        List<Object> xy = list(p);
        s.add(dbl(xy.get(0)), dbl(xy.get(1)));
      }
    }
    return s;
  }

  private static void plotSideInput(Map<String, Object> r, Path dir, List<String> plots) throws IOException {
    Map<String, Object> side = map(r.get("sideinput"));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, Object> e : side.entrySet()) {
      if (e.getKey().matches("\\d+")) {
        Map<String, Object> s = map(e.getValue());
        data.addValue(dbl(s.get("load_s")), "load (s)", e.getKey() + " users");
        data.addValue(num(s.get("retained_heap_mb")) / 100.0, "retained heap (100 MB)", e.getKey() + " users");
      }
    }
    if (data.getColumnCount() == 0) {
      return;
    }
    JFreeChart bar =
        ChartFactory.createBarChart("Users side input: one load", "", "", data, PlotOrientation.VERTICAL, true, false, false);
    ChartUtils.saveChartAsPNG(dir.resolve("sideinput.png").toFile(), bar, 640, 400);
    plots.add("sideinput.png");
  }
}
