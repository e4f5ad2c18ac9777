package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Offsets of records of the input topic, by partition: the logins a row stands for, or a dead
 * letter's record. Compact on purpose: rows carry it through the window's grouping, whose state
 * the SparkRunner re-encodes every micro-batch (a position with its topic name cost ~50 bytes; an
 * offset here costs one or two).
 */
@DefaultCoder(SourceOffsets.Coder.class)
public final class SourceOffsets implements Serializable {
  private final TreeMap<Integer, WrittenOffsets> byPartition = new TreeMap<>();

  public static SourceOffsets of(SourcePosition p) {
    SourceOffsets s = new SourceOffsets();
    s.add(p.partition(), p.offset());
    return s;
  }

  public void add(int partition, long offset) {
    byPartition.computeIfAbsent(partition, k -> new WrittenOffsets()).add(offset, offset + 1);
  }

  public void addAll(SourceOffsets other) {
    other.byPartition.forEach((p, w) -> byPartition.computeIfAbsent(p, k -> new WrittenOffsets()).addAll(w));
  }

  public void forEach(BiConsumer<Integer, WrittenOffsets> action) {
    byPartition.forEach(action);
  }

  /** How many records these are. */
  public long offsetCount() {
    long n = 0;
    for (WrittenOffsets w : byPartition.values()) {
      n += w.offsetCount();
    }
    return n;
  }

  public boolean isEmpty() {
    return byPartition.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceOffsets other && byPartition.toString().equals(other.byPartition.toString());
  }

  @Override
  public int hashCode() {
    return byPartition.toString().hashCode();
  }

  @Override
  public String toString() {
    return byPartition.toString();
  }

  public static final class Coder extends CustomCoder<SourceOffsets> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(SourceOffsets.class), INSTANCE);
    }

    @Override
    public void encode(SourceOffsets s, OutputStream out) throws IOException {
      VarIntCoder.of().encode(s.byPartition.size(), out);
      for (Map.Entry<Integer, WrittenOffsets> e : s.byPartition.entrySet()) {
        VarIntCoder.of().encode(e.getKey(), out);
        WrittenOffsets.Coder.of().encode(e.getValue(), out);
      }
    }

    @Override
    public SourceOffsets decode(InputStream in) throws IOException {
      SourceOffsets s = new SourceOffsets();
      int n = VarIntCoder.of().decode(in);
      for (int i = 0; i < n; i++) {
        s.byPartition.put(VarIntCoder.of().decode(in), WrittenOffsets.Coder.of().decode(in));
      }
      return s;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
