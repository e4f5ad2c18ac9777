package io.loginenrichment.transforms;

import io.loginenrichment.metrics.PipelineMetrics;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, per window, the logins that entered the grouping step and those that left it in rows;
 * {@code grace} after the window's end (wall clock) the two must be equal. A difference is logins
 * the runner dropped inside its grouping (late data is dropped there without a trace on the
 * classic SparkRunner): it is added to the {@code logins_lost_in_grouping} counter, logged as a
 * warning, and emitted as (window end millis, count). Logins that come out after the check (a late
 * pane) take the counter back down, so its value is always the logins still missing.
 *
 * <p>Input: {@link #ENTERED} and {@link #LEFT} counts keyed by window end, in that order.
 */
final class AuditGrouping extends PTransform<PCollectionList<KV<Long, Long>>, PCollection<KV<Long, Long>>> {
  static final TupleTag<KV<Long, Long>> ENTERED = new TupleTag<>() {};
  static final TupleTag<KV<Long, Long>> LEFT = new TupleTag<>() {};

  private final Duration grace;

  private AuditGrouping(Duration grace) {
    this.grace = grace;
  }

  static KV<Long, Long> count(BoundedWindow window, long logins) {
    return KV.of(window.maxTimestamp().getMillis(), logins);
  }

  /** Audits the grouping between {@code entered} and {@code left}; returns the imbalances found. */
  static PCollection<KV<Long, Long>> of(
      PCollection<KV<Long, Long>> entered, PCollection<KV<Long, Long>> left, Duration grace) {
    KvCoder<Long, Long> coder = KvCoder.of(VarLongCoder.of(), VarLongCoder.of());
    return PCollectionList.of(entered.setCoder(coder))
        .and(left.setCoder(coder))
        .apply("AuditGrouping", new AuditGrouping(grace));
  }

  @Override
  public PCollection<KV<Long, Long>> expand(PCollectionList<KV<Long, Long>> enteredAndLeft) {
    PCollection<KV<Long, Long>> entered =
        enteredAndLeft.get(0).apply("EnteredInGlobalWindow", Window.into(new GlobalWindows()));
    PCollection<KV<Long, Long>> left =
        enteredAndLeft
            .get(1)
            .apply(
                "LeftAsNegative",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((KV<Long, Long> kv) -> KV.of(kv.getKey(), -kv.getValue())))
            .apply("LeftInGlobalWindow", Window.into(new GlobalWindows()));
    return PCollectionList.of(entered)
        .and(left)
        .apply("EnteredAndLeft", Flatten.pCollections())
        .apply("BalancePerWindow", ParDo.of(new BalanceFn(grace)))
        .setCoder(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));
  }

  static final class BalanceFn extends DoFn<KV<Long, Long>, KV<Long, Long>> {
    private static final Logger LOG = LoggerFactory.getLogger(AuditGrouping.class);
    static final Counter LOST = Metrics.counter(PipelineMetrics.NAMESPACE, "logins_lost_in_grouping");

    @StateId("windowEnd")
    private final StateSpec<ValueState<Long>> windowEndSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("balance")
    private final StateSpec<ValueState<Long>> balanceSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("due")
    private final TimerSpec dueSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private final Duration grace;

    BalanceFn(Duration grace) {
      this.grace = grace;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Long> count,
        @StateId("windowEnd") ValueState<Long> windowEnd,
        @StateId("balance") ValueState<Long> balance,
        @TimerId("due") Timer due) {
      @Nullable Long before = balance.read();
      balance.write((before == null ? 0L : before) + count.getValue());
      if (before == null) {
        windowEnd.write(count.getKey());
        long wait = count.getKey() + grace.getMillis() - Instant.now().getMillis();
        due.offset(Duration.millis(Math.max(0, wait))).setRelative();
      }
    }

    @OnTimer("due")
    public void onDue(
        @StateId("windowEnd") ValueState<Long> windowEnd,
        @StateId("balance") ValueState<Long> balance,
        OutputReceiver<KV<Long, Long>> out) {
      Long end = windowEnd.read();
      Long missing = balance.read();
      windowEnd.clear();
      balance.clear();
      if (end == null || missing == null || missing == 0) {
        return;
      }
      LOST.inc(missing);
      Instant windowEndTime = new Instant(end + 1);
      if (missing > 0) {
        LOG.warn(
            "{} logins of the window ending {} entered the grouping step and have not left it {} after"
                + " the window's end: the runner dropped them. Their offsets stay uncommitted, so a"
                + " restart re-reads them.",
            missing, windowEndTime, grace);
      } else {
        LOG.info("{} logins of the window ending {} left the grouping step after its audit (a late pane)", -missing, windowEndTime);
      }
      out.output(KV.of(end, missing));
    }
  }
}
