package io.loginenrichment.bench;

import com.datastax.driver.core.PreparedStatement;
import com.datastax.driver.core.ResultSetFuture;
import com.datastax.driver.core.Row;
import io.loginenrichment.cassandra.CassandraConnection;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.PipelineProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Freshness: a steady stream of logins stamped "now" to a subset of the users, while a poller
 * reads a sample of those users' rows back. An event to a sampled user is visible once the user's
 * last_login has reached its created_time; its delays are measured from the end of its window and
 * from when it was produced. The poller's round trip is the measurement's resolution and is
 * reported with it. Only a sample is polled: reading all 10,000 rows every 50 ms kept Cassandra
 * busy on the same two cores as the pipeline and made the pipeline under test fall behind.
 */
final class Freshness {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** What one run measures. */
  record Settings(
      String name,
      String profile,
      CassandraConnection table,
      List<String> hotUsers,
      int rate,
      Duration warmup,
      Duration duration,
      String maxOutOfOrderness,
      String refreshInterval,
      Duration window,
      boolean awaitCatchUp) {}

  private Freshness() {}

  static Map<String, Object> run(BenchServers servers, Settings s, BenchOptions o, Path outDir) throws Exception {
    String topic = "bench-" + s.name();
    servers.resetTopics(topic);
    String group = "bench-" + s.name() + "-" + System.currentTimeMillis();
    List<String> args =
        RunnerProfiles.benchArgs(
            s.profile(), servers, s.table(), topic, group, outDir, o,
            List.of(
                "--maxOutOfOrderness=" + s.maxOutOfOrderness(),
                "--usersRefreshInterval=" + s.refreshInterval(),
                "--windowSize=" + s.window().toSeconds() + "s"));
    Duration heldBack = heldBack(args, s);
    List<String> probed = sample(s.hotUsers(), o.getFreshnessProbedUsers());
    Map<String, ArrayDeque<long[]>> pending = new java.util.HashMap<>();
    probed.forEach(id -> pending.put(id, new ArrayDeque<>()));
    Histogram fromWindowEnd = new Histogram(3_600_000L, 3);
    Histogram fromProduce = new Histogram(3_600_000L, 3);
    Histogram pollRoundTrip = new Histogram(3_600_000L, 3);
    List<double[]> timeline = new ArrayList<>();
    AtomicBoolean producing = new AtomicBoolean(true);

    System.out.printf(
        "[%s] %s: %,d ev/s to %,d users for %s after a %s warm-up (table of %s)...%n",
        s.name(), s.profile(), s.rate(), s.hotUsers().size(), s.duration(), s.warmup(), s.table().usersTable());
    try (PipelineProcess p =
        RunnerProfiles.startPipeline(s.profile(), o, args, outDir.resolve(s.name() + "-" + s.profile() + ".log"))) {
      long startMillis = System.currentTimeMillis();
      // Measuring starts once the warm-up is over and the pipeline has caught up with the
      // stream (see caughtUp), so the figures are the steady state; start-up is reported apart.
      long measureFrom = Long.MAX_VALUE;
      AtomicLong produceUntil = new AtomicLong(Long.MAX_VALUE);
      AtomicLong sent = new AtomicLong();
      Thread producer =
          new Thread(() -> produce(servers, topic, s, pending, producing, produceUntil, sent), "fresh-producer");
      producer.start();

      PreparedStatement read =
          servers.session.prepare(
              "SELECT login_id, last_login FROM " + s.table().qualifiedUsersTable() + " WHERE login_id IN ?");
      List<List<String>> chunks = new ArrayList<>();
      for (int i = 0; i < probed.size(); i += 100) {
        chunks.add(probed.subList(i, Math.min(probed.size(), i + 100)));
      }
      long drainDeadline = Long.MAX_VALUE;
      long unresolved = Long.MAX_VALUE;
      boolean caughtUp = false;
      while (System.currentTimeMillis() < drainDeadline && p.isAlive()) {
        long pollStart = System.currentTimeMillis();
        if (measureFrom == Long.MAX_VALUE && pollStart >= startMillis + s.warmup().toMillis()) {
          caughtUp = caughtUp(p.latest(), sent.get(), s.rate(), heldBack);
          if (caughtUp || !s.awaitCatchUp() || pollStart >= startMillis + 3 * s.warmup().toMillis()) {
            measureFrom = pollStart;
            produceUntil.set(measureFrom + s.duration().toMillis());
            drainDeadline = produceUntil.get() + 90_000;
            System.out.printf(
                "[%s] measuring from %.0f s after launch (%s)%n",
                s.name(), (measureFrom - startMillis) / 1000.0,
                caughtUp ? "caught up with the stream" : "NOT caught up");
          }
        }
        List<ResultSetFuture> futures = new ArrayList<>();
        for (List<String> chunk : chunks) {
          futures.add(servers.session.executeAsync(read.bind(chunk)));
        }
        Map<String, Long> seen = new java.util.HashMap<>();
        for (ResultSetFuture f : futures) {
          for (Row r : f.getUninterruptibly()) {
            Date d = r.getTimestamp(1);
            seen.put(r.getString(0), d == null ? 0 : d.getTime());
          }
        }
        long visible = System.currentTimeMillis();
        pollRoundTrip.recordValue(visible - pollStart);
        unresolved = 0;
        synchronized (pending) {
          for (Map.Entry<String, ArrayDeque<long[]>> e : pending.entrySet()) {
            long lastLogin = seen.getOrDefault(e.getKey(), 0L);
            ArrayDeque<long[]> q = e.getValue();
            while (!q.isEmpty() && q.peekFirst()[0] <= lastLogin) {
              long[] ev = q.pollFirst();
              if (ev[1] >= measureFrom) {
                long windowEnd = ev[0] - Math.floorMod(ev[0], s.window().toMillis()) + s.window().toMillis();
                long d = Math.max(0, visible - windowEnd);
                fromWindowEnd.recordValue(d);
                fromProduce.recordValue(Math.max(0, visible - ev[1]));
                if (timeline.size() < 200_000 && (ev[1] % 7 == 0)) {
                  timeline.add(new double[] {(ev[1] - startMillis) / 1000.0, d / 1000.0});
                }
              }
            }
            unresolved += q.size();
          }
        }
        if (!producing.get() && unresolved == 0) {
          break;
        }
        Thread.sleep(100);
      }
      producer.join();
      List<PipelineProcess.Sample> samples = p.samples();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("runner", s.profile());
      r.put("table_users", s.table().usersTable());
      r.put("hot_users", s.hotUsers().size());
      r.put("probed_users", probed.size());
      r.put("rate_per_s", s.rate());
      r.put("measured_s", s.duration().toSeconds());
      r.put("events_measured", fromWindowEnd.getTotalCount());
      r.put("events_never_visible", unresolved);
      r.put("window_end_to_visible_ms", percentiles(fromWindowEnd));
      r.put("produce_to_visible_ms", percentiles(fromProduce));
      r.put("poll_round_trip_ms", percentiles(pollRoundTrip));
      r.put("max_out_of_orderness", s.maxOutOfOrderness());
      r.put("users_refresh_interval", s.refreshInterval());
      r.put("users_refreshes", refreshTimes(samples, startMillis));
      r.put("measured_from_s", Drain.round1((measureFrom - startMillis) / 1000.0));
      r.put("caught_up_before_measuring", caughtUp);
      r.put("longest_consumption_pause_s", longestPause(samples, measureFrom, produceUntil.get()));
      r.put("pipeline_peak_rss_mb", p.peakRssBytes() / (1024 * 1024));
      r.put("micro_batches", microBatches(outDir.resolve(s.name() + "-" + s.profile() + ".log"), measureFrom, produceUntil.get()));
      r.put("counters", p.latest().counters());
      r.put("timeline", timeline);
      System.out.printf(
          "[%s] window end -> visible p50/p95/p99 = %s ms; produce -> visible p99 = %d ms; %d never visible%n",
          s.name(), pct(fromWindowEnd), fromProduce.getValueAtPercentile(99), unresolved);
      return r;
    } finally {
      producing.set(false);
    }
  }

  private static void produce(
      BenchServers servers, String topic, Settings s, Map<String, ArrayDeque<long[]>> pending,
      AtomicBoolean producing, AtomicLong until, AtomicLong sent) {
    SplittableRandom random = new SplittableRandom(7);
    try (LoginProducer producer = new LoginProducer(servers.kafka, topic)) {
      long t0 = System.nanoTime();
      long n = 0;
      while (System.currentTimeMillis() < until.get()) {
        long now = System.currentTimeMillis();
        long created = now - now % 1000; // created_time has whole seconds
        String id = s.hotUsers().get(random.nextInt(s.hotUsers().size()));
        synchronized (pending) {
          ArrayDeque<long[]> q = pending.get(id);
          if (q != null) {
            q.addLast(new long[] {created, now});
          }
        }
        String json = "{\"login_id\": \"" + id + "\", \"created_time\": \"" + TIME.format(Instant.ofEpochMilli(created)) + "\"}";
        producer.send(id, json.getBytes(StandardCharsets.UTF_8));
        n++;
        sent.set(n);
        long due = t0 + n * 1_000_000_000L / s.rate();
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
    } finally {
      producing.set(false);
    }
  }

  /** Every k-th user, so the sample spans hot and cold users alike. */
  static List<String> sample(List<String> users, int size) {
    if (size >= users.size()) {
      return users;
    }
    List<String> out = new ArrayList<>(size);
    double step = (double) users.size() / size;
    for (int i = 0; i < size; i++) {
      out.add(users.get((int) (i * step)));
    }
    return out;
  }

  static Map<String, Long> percentiles(Histogram h) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("p50", h.getValueAtPercentile(50));
    out.put("p95", h.getValueAtPercentile(95));
    out.put("p99", h.getValueAtPercentile(99));
    out.put("max", h.getMaxValue());
    return out;
  }

  private static String pct(Histogram h) {
    return h.getValueAtPercentile(50) + "/" + h.getValueAtPercentile(95) + "/" + h.getValueAtPercentile(99);
  }

  /** Seconds since launch at which the users side input was reloaded. */
  static List<Double> refreshTimes(List<PipelineProcess.Sample> samples, long startMillis) {
    List<Double> out = new ArrayList<>();
    long loads = 0;
    for (PipelineProcess.Sample s : samples) {
      if (s.get("users_loads") > loads) {
        loads = s.get("users_loads");
        out.add(Drain.round1((s.epochMillis() - startMillis) / 1000.0));
      }
    }
    return out;
  }

  private static final Pattern SLOW_BATCH = Pattern.compile("Micro-batch of \\S+ ended (\\S+) took (\\d+) ms");
  private static final Pattern BATCH_SUMMARY =
      Pattern.compile("Micro-batches in the minute to (\\S+): (\\d+) batches.* max (\\d+) ms;");

  /**
   * The Spark driver's micro-batch times while measuring, from the pipeline's log
   * ({@code MicroBatchTimes}): batches slower than two intervals, and the slowest batch of the
   * minutes summarized. Empty on other runners.
   */
  static Map<String, Object> microBatches(Path log, long from, long until) throws java.io.IOException {
    Map<String, Object> r = new LinkedHashMap<>();
    List<Long> slow = new ArrayList<>();
    long maxMillis = 0;
    long batches = 0;
    for (String line : java.nio.file.Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = SLOW_BATCH.matcher(line);
      if (m.find() && within(m.group(1), from, until)) {
        slow.add(Long.parseLong(m.group(2)));
      }
      m = BATCH_SUMMARY.matcher(line);
      // A summary covers the minute before its last batch: counted if that minute overlaps the
      // measurement (so a few batches before it may be counted too, never fewer).
      if (m.find() && within(m.group(1), from, until + 60_000)) {
        batches += Long.parseLong(m.group(2));
        maxMillis = Math.max(maxMillis, Long.parseLong(m.group(3)));
      }
    }
    r.put("over_2_intervals", slow.size());
    r.put("over_2_intervals_ms", slow);
    r.put("batches_summarized", batches);
    r.put("processing_max_ms", maxMillis);
    return r;
  }

  private static boolean within(String instant, long from, long until) {
    long t = Instant.parse(instant).toEpochMilli();
    return t >= from && t <= until;
  }

  /**
   * Whether the pipeline keeps up: what it has committed (offsets are committed after the writes)
   * is within two seconds of what was sent, give or take what it holds back by design (see
   * {@link #heldBack}); when it holds some back, what it has read is within two seconds too.
   */
  static boolean caughtUp(PipelineProcess.Sample latest, long sent, int rate, Duration heldBack) {
    long committedLag = sent - latest.get("offsets_committed");
    long readLag = sent - latest.get("events_in");
    return sent > 0
        && committedLag * 1000 <= (2_000 + heldBack.toMillis()) * rate
        && (heldBack.isZero() || readLag <= 2L * rate);
  }

  /**
   * How long the pipeline keeps a login before writing it, by design: nothing when it writes each
   * bundle's newest login ({@code --latestLoginScope=BUNDLE}, the Spark profiles); with the default
   * per-window grouping (flink-local) a window and the out-of-orderness its watermark waits for, so
   * up to that many logins are read but not yet written, their offsets not yet committed.
   */
  static Duration heldBack(List<String> pipelineArgs, Settings s) {
    return pipelineArgs.contains("--latestLoginScope=BUNDLE")
        ? Duration.ZERO
        : s.window().plus(Benchmark.duration("maxOutOfOrderness", s.maxOutOfOrderness()));
  }

  /** The longest time, while events were being produced, that the pipeline counted none. */
  static double longestPause(List<PipelineProcess.Sample> samples, long from, long until) {
    long longest = 0;
    long lastChange = from;
    long lastValue = -1;
    for (PipelineProcess.Sample s : samples) {
      if (s.epochMillis() < from || s.epochMillis() > until) {
        continue;
      }
      long v = s.get("events_in");
      if (v != lastValue) {
        longest = Math.max(longest, s.epochMillis() - lastChange);
        lastChange = s.epochMillis();
        lastValue = v;
      }
    }
    return Drain.round1(longest / 1000.0);
  }
}
