package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * {@link WrittenOffsets}' ranges ({@code start -> end}), each as the gap since the previous range
 * and its length, so a login's offset costs a byte or two instead of a long. Written in start order,
 * whatever order they were added in, so equal ranges encode alike: deterministic.
 */
final class OffsetRangesCoder extends AtomicCoder<TreeMap<Long, Long>> {
  private static final OffsetRangesCoder INSTANCE = new OffsetRangesCoder();
  private static final VarIntCoder COUNT = VarIntCoder.of();
  private static final VarLongCoder DELTA = VarLongCoder.of();

  private OffsetRangesCoder() {}

  static OffsetRangesCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TreeMap<Long, Long> ranges, OutputStream out) throws IOException {
    COUNT.encode(ranges.size(), out);
    long previousEnd = 0;
    for (Map.Entry<Long, Long> r : ranges.entrySet()) {
      DELTA.encode(r.getKey() - previousEnd, out);
      DELTA.encode(r.getValue() - r.getKey(), out);
      previousEnd = r.getValue();
    }
  }

  @Override
  public TreeMap<Long, Long> decode(InputStream in) throws IOException {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    int n = COUNT.decode(in);
    long previousEnd = 0;
    for (int i = 0; i < n; i++) {
      long start = previousEnd + DELTA.decode(in);
      previousEnd = start + DELTA.decode(in);
      ranges.put(start, previousEnd);
    }
    return ranges;
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "ranges are written as varints", COUNT, DELTA);
  }

  /** Decoding rebuilds exactly the ranges encoded, so equal maps and equal bytes go together. */
  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
