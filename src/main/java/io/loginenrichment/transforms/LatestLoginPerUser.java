package io.loginenrichment.transforms;

import io.loginenrichment.model.KnownLogin;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcedRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Windowed logins of known users in; per window and login_id, only the newest login out (one
 * write per user per window however many logins). Nothing is dropped: the others are merged,
 * and the row keeps the source positions of all of them, so their offsets are committed once it
 * is written.
 */
public final class LatestLoginPerUser
    extends PTransform<PCollection<KnownLogin>, PCollection<SourcedRow>> {

  @Override
  public PCollection<SourcedRow> expand(PCollection<KnownLogin> logins) {
    return logins
        .apply("KeyByLoginId", WithKeys.of((KnownLogin k) -> k.row().loginId()).withKeyType(TypeDescriptors.strings()))
        .apply("KeepNewest", Combine.perKey(new NewestFn()))
        .apply("DropKeys", Values.create())
        .apply("CountRows", ParDo.of(new CountRowsFn()));
  }

  /** The newest row so far and the sources of everything merged into it. */
  static final class Newest {
    @Nullable LastLogin row;
    final SourceOffsets sources = new SourceOffsets();
  }

  static final class NewestFn extends Combine.CombineFn<KnownLogin, Newest, SourcedRow> {
    @Override
    public Newest createAccumulator() {
      return new Newest();
    }

    @Override
    public Newest addInput(Newest acc, KnownLogin input) {
      acc.row = acc.row == null ? input.row() : LastLogin.newer(acc.row, input.row());
      acc.sources.add(input.partition(), input.offset());
      return acc;
    }

    @Override
    public Newest mergeAccumulators(Iterable<Newest> accumulators) {
      Newest merged = new Newest();
      for (Newest acc : accumulators) {
        if (acc.row != null) {
          merged.row = merged.row == null ? acc.row : LastLogin.newer(merged.row, acc.row);
        }
        merged.sources.addAll(acc.sources);
      }
      return merged;
    }

    @Override
    public SourcedRow extractOutput(Newest acc) {
      return new SourcedRow(acc.row, acc.sources);
    }

    @Override
    public Coder<Newest> getAccumulatorCoder(CoderRegistry registry, Coder<KnownLogin> inputCoder) {
      return new NewestCoder();
    }
  }

  static final class NewestCoder extends CustomCoder<Newest> {
    private static final NullableCoder<LastLogin> ROW = NullableCoder.of(LastLogin.Coder.of());
    private static final SourceOffsets.Coder SOURCES = SourceOffsets.Coder.of();

    @Override
    public void encode(Newest acc, OutputStream out) throws IOException {
      ROW.encode(acc.row, out);
      SOURCES.encode(acc.sources, out);
    }

    @Override
    public Newest decode(InputStream in) throws IOException {
      Newest acc = new Newest();
      acc.row = ROW.decode(in);
      acc.sources.addAll(SOURCES.decode(in));
      return acc;
    }
  }

  static final class CountRowsFn extends DoFn<SourcedRow, SourcedRow> {
    @ProcessElement
    public void process(@Element SourcedRow row, OutputReceiver<SourcedRow> out) {
      PipelineMetrics.ROWS_EMITTED.inc();
      out.output(row);
    }
  }
}
