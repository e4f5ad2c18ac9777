package io.loginenrichment.transforms;

import io.loginenrichment.metrics.PipelineMetrics;
import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.KnownLogin;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcedRow;
import io.loginenrichment.options.LatestLoginScope;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * Windowed logins of known users, in a {@link DeadLetterLane}, in; per window and login_id, only
 * the newest login out as {@link #ROWS} (one write per user per window however many logins), and
 * the lane's dead letters as {@link #DEAD_LETTERS}. Nothing is dropped: the other logins are
 * merged, and the row keeps the source positions of all of them, so their offsets are committed
 * once it is written.
 *
 * <p>Logins are first reduced to the newest per user and window inside each bundle: on the
 * SparkRunner in streaming, Combine is not lifted, so every element reaching the grouping step is
 * buffered in its state, which is re-encoded every micro-batch. What enters and what leaves the
 * grouping step is counted per window by {@link AuditGrouping}, so a login the runner drops there
 * is reported instead of silently missing.
 *
 * <p>With {@link LatestLoginScope#BUNDLE} the per-bundle rows are the output: no grouping step, so
 * nothing to audit and nothing a runner could drop as late; a user may be written once per bundle
 * instead of once per window.
 */
public final class LatestLoginPerUser
    extends PTransform<PCollection<RawUnionValue>, PCollectionTuple> {

  public static final TupleTag<SourcedRow> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final TupleTag<KV<String, SourcedRow>> NEWEST = new TupleTag<>() {};

  private final Duration auditGrace;
  private final LatestLoginScope scope;

  /**
   * @param auditGrace how long after its window's end a login may take to leave the grouping
   * @param scope where the newest login per user is chosen
   */
  public LatestLoginPerUser(Duration auditGrace, LatestLoginScope scope) {
    this.auditGrace = auditGrace;
    this.scope = scope;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawUnionValue> logins) {
    PCollectionTuple reduced =
        logins.apply(
            "NewestInBundle",
            ParDo.of(new NewestInBundleFn(scope == LatestLoginScope.WINDOW))
                .withOutputTags(NEWEST, TupleTagList.of(AuditGrouping.ENTERED).and(DEAD_LETTERS)));
    PCollection<DeadLetter> deadLetters = reduced.get(DEAD_LETTERS).setCoder(DeadLetter.CODER);
    PCollection<KV<String, SourcedRow>> newest =
        reduced.get(NEWEST).setCoder(KvCoder.of(StringUtf8Coder.of(), SourcedRow.CODER));
    if (scope == LatestLoginScope.BUNDLE) {
      PCollection<SourcedRow> rows = newest.apply("RowsOfBundle", ParDo.of(new EmitRowFn()));
      return PCollectionTuple.of(ROWS, rows).and(DEAD_LETTERS, deadLetters);
    }
    PCollectionTuple rows =
        newest
            .apply("GroupPerUser", GroupByKey.create())
            .apply(
                "KeepNewest",
                ParDo.of(new KeepNewestFn()).withOutputTags(ROWS, TupleTagList.of(AuditGrouping.LEFT)));
    AuditGrouping.of(reduced.get(AuditGrouping.ENTERED), rows.get(AuditGrouping.LEFT), auditGrace);
    return PCollectionTuple.of(ROWS, rows.get(ROWS)).and(DEAD_LETTERS, deadLetters);
  }

  /** A bundle's newest row of a user, written as it is. */
  static final class EmitRowFn extends DoFn<KV<String, SourcedRow>, SourcedRow> {
    @ProcessElement
    public void process(@Element KV<String, SourcedRow> newest, OutputReceiver<SourcedRow> out) {
      PipelineMetrics.ROWS_EMITTED.inc();
      out.output(newest.getValue());
    }
  }

  /** The newest of two partial rows, with the sources of both (neither is changed). */
  static SourcedRow merge(SourcedRow a, SourcedRow b) {
    SourceOffsets sources = new SourceOffsets();
    sources.addAll(a.sources());
    sources.addAll(b.sources());
    return new SourcedRow(LastLogin.newer(a.row(), b.row()), sources);
  }

  /**
   * Per bundle: the newest login per (window, login_id), emitted when the bundle finishes, and
   * how many logins entered per window (for the audit); the lane's dead letters leave it here,
   * unchanged.
   */
  static final class NewestInBundleFn extends DoFn<RawUnionValue, KV<String, SourcedRow>> {
    private final boolean countEntered;
    private transient Map<BoundedWindow, Map<String, SourcedRow>> newest;

    /** @param countEntered whether to count, for {@link AuditGrouping}, what enters the grouping */
    NewestInBundleFn(boolean countEntered) {
      this.countEntered = countEntered;
    }

    @StartBundle
    public void startBundle() {
      newest = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element RawUnionValue element, BoundedWindow window, MultiOutputReceiver out) {
      if (DeadLetterLane.isDeadLetter(element)) {
        out.get(DEAD_LETTERS).output((DeadLetter) element.getValue());
        return;
      }
      KnownLogin login = (KnownLogin) element.getValue();
      SourceOffsets sources = new SourceOffsets();
      sources.add(login.partition(), login.offset());
      SourcedRow one = new SourcedRow(login.row(), sources);
      newest.computeIfAbsent(window, w -> new HashMap<>()).merge(login.row().loginId(), one, LatestLoginPerUser::mergeInto);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      newest.forEach(
          (window, byUser) -> {
            long entered = 0;
            for (Map.Entry<String, SourcedRow> e : byUser.entrySet()) {
              entered += e.getValue().sources().offsetCount();
              c.output(NEWEST, KV.of(e.getKey(), e.getValue()), window.maxTimestamp(), window);
            }
            if (countEntered) {
              c.output(AuditGrouping.ENTERED, AuditGrouping.count(window, entered), window.maxTimestamp(), window);
            }
          });
      newest = null;
    }
  }

  /** Merges {@code b} into {@code a}'s sources (a is owned by the bundle's map). */
  private static SourcedRow mergeInto(SourcedRow a, SourcedRow b) {
    a.sources().addAll(b.sources());
    return new SourcedRow(LastLogin.newer(a.row(), b.row()), a.sources());
  }

  /**
   * One row per user and pane: the newest of the bundles' partial rows. Not a {@code Combine}: the
   * partials are already reduced per bundle, a combiner is not lifted on the SparkRunner in
   * streaming anyway, and that runner may hand a grouping an empty pane, which a combiner would
   * turn into a null row.
   */
  static final class KeepNewestFn extends DoFn<KV<String, Iterable<SourcedRow>>, SourcedRow> {
    private transient Map<BoundedWindow, Long> left;

    @StartBundle
    public void startBundle() {
      left = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<SourcedRow>> partials, BoundedWindow window, MultiOutputReceiver out) {
      SourcedRow row = null;
      for (SourcedRow partial : partials.getValue()) {
        row = row == null ? partial : merge(row, partial);
      }
      if (row == null) {
        return;
      }
      PipelineMetrics.ROWS_EMITTED.inc();
      left.merge(window, row.sources().offsetCount(), Long::sum);
      out.get(ROWS).output(row);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      left.forEach((window, n) -> c.output(AuditGrouping.LEFT, AuditGrouping.count(window, n), window.maxTimestamp(), window));
      left = null;
    }
  }
}
