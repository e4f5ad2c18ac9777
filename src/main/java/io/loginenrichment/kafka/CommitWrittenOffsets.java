package io.loginenrichment.kafka;

import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.WrittenOffsets;
import io.loginenrichment.metrics.PipelineMetrics;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Positions of records whose effects are durable (row written, dead letter published) in; the
 * consumer group's offsets moved up to the first record that is not, per partition, out. KafkaIO
 * would commit a record as soon as it is read, before its window fires: a crash then loses what
 * was read but not written, and a restart rewinding by a fixed span cannot know how far back that
 * goes. Here a committed offset means everything below it is written, so a restart from the group
 * loses nothing, whatever the runner and however often it crashes.
 *
 * <p>Each bundle's positions are first folded into ranges per partition; one stateful step per
 * partition (in the global window) keeps the written ranges above the committed offset and
 * commits when the run starting at it grows.
 */
public final class CommitWrittenOffsets
    extends PTransform<PCollection<SourceOffsets>, PCollection<KV<Integer, Long>>> {
  private final String topic;
  private final OffsetCommitter committer;

  public CommitWrittenOffsets(String topic, OffsetCommitter committer) {
    this.topic = topic;
    this.committer = committer;
  }

  @Override
  public PCollection<KV<Integer, Long>> expand(PCollection<SourceOffsets> written) {
    return written
        .apply("GlobalWindow", Window.into(new GlobalWindows()))
        .apply("RangesPerBundle", ParDo.of(new RangesPerBundleFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), WrittenOffsets.CODER))
        .apply("AdvanceCommits", ParDo.of(new AdvanceFn(topic, committer)))
        .setCoder(KvCoder.of(VarIntCoder.of(), VarLongCoder.of()));
  }

  static final class RangesPerBundleFn extends DoFn<SourceOffsets, KV<Integer, WrittenOffsets>> {
    private transient SourceOffsets ranges;
    private transient @Nullable Instant earliest;

    @StartBundle
    public void startBundle() {
      ranges = new SourceOffsets();
      earliest = null;
    }

    @ProcessElement
    public void process(@Element SourceOffsets offsets, @Timestamp Instant timestamp) {
      ranges.addAll(offsets);
      earliest = earliest == null || timestamp.isBefore(earliest) ? timestamp : earliest;
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      ranges.forEach((partition, w) -> c.output(KV.of(partition, w), earliest, GlobalWindow.INSTANCE));
    }
  }

  static final class AdvanceFn extends DoFn<KV<Integer, WrittenOffsets>, KV<Integer, Long>> {
    private static final Counter COMMITTED = Metrics.counter(PipelineMetrics.NAMESPACE, "offsets_committed");

    @StateId("committed")
    private final StateSpec<ValueState<Long>> committedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("written")
    private final StateSpec<ValueState<WrittenOffsets>> writtenSpec = StateSpecs.value(WrittenOffsets.CODER);

    private final String topic;
    private final OffsetCommitter committer;

    AdvanceFn(String topic, OffsetCommitter committer) {
      this.topic = topic;
      this.committer = committer;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, WrittenOffsets> element,
        @StateId("committed") ValueState<Long> committedState,
        @StateId("written") ValueState<WrittenOffsets> writtenState,
        OutputReceiver<KV<Integer, Long>> out) {
      int partition = element.getKey();
      Long known = committedState.read();
      long committed = known != null ? known : committer.committed(topic, partition);
      WrittenOffsets written = writtenState.read();
      if (written == null) {
        written = new WrittenOffsets();
      }
      written.addAll(element.getValue());
      long next = written.advance(committed);
      if (next > committed) {
        committer.commit(topic, partition, next);
        COMMITTED.inc(next - committed);
        out.output(KV.of(partition, next));
      }
      committedState.write(next);
      writtenState.write(written);
    }
  }
}
