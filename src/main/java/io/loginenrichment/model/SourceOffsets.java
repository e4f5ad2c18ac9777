package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import io.loginenrichment.coders.TreeMapCoder;
import java.io.Serializable;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Offsets of records of the input topic, by partition: the logins a row stands for, or a dead
 * letter's record. Compact on purpose: rows carry it through the window's grouping, whose state
 * the SparkRunner re-encodes every micro-batch (a position with its topic name cost ~50 bytes; an
 * offset here costs one or two).
 */
@DefaultCoder(FieldsCoder.class)
public final class SourceOffsets implements Serializable {
  public static final FieldsCoder<SourceOffsets> CODER =
      FieldsCoder.of(
          SourceOffsets.class,
          SourceOffsets::new,
          field(s -> s.byPartition, TreeMapCoder.of(VarIntCoder.of(), WrittenOffsets.CODER)));

  private final TreeMap<Integer, WrittenOffsets> byPartition;

  public SourceOffsets() {
    this(new TreeMap<>());
  }

  private SourceOffsets(TreeMap<Integer, WrittenOffsets> byPartition) {
    this.byPartition = byPartition;
  }

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
  public boolean equals(@Nullable Object o) {
    return o instanceof SourceOffsets other && byPartition.equals(other.byPartition);
  }

  @Override
  public int hashCode() {
    return byPartition.hashCode();
  }

  @Override
  public String toString() {
    return byPartition.toString();
  }
}
