package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A set of offsets of one partition, as disjoint half-open ranges {@code [start, end)}: the
 * records a row stands for, or those whose effects are durable (row written, dead letter
 * published). {@link #advance(long)} finds how far the committed offset may move: to the end of
 * the run of written offsets that starts at it, never past a gap, because a gap is a record not
 * yet written.
 */
@DefaultCoder(FieldsCoder.class)
public final class WrittenOffsets implements Serializable {
  public static final FieldsCoder<WrittenOffsets> CODER =
      FieldsCoder.of(WrittenOffsets.class, WrittenOffsets::new, field(w -> w.ranges, OffsetRangesCoder.of()));

  private final TreeMap<Long, Long> ranges;

  public WrittenOffsets() {
    this(new TreeMap<>());
  }

  private WrittenOffsets(TreeMap<Long, Long> ranges) {
    this.ranges = ranges;
  }

  public static WrittenOffsets of(long... offsets) {
    WrittenOffsets w = new WrittenOffsets();
    for (long o : offsets) {
      w.add(o, o + 1);
    }
    return w;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Adds {@code [start, end)}, merging with touching or overlapping ranges. */
  public void add(long start, long end) {
    if (end <= start) {
      return;
    }
    // Offsets mostly arrive in order: appending to or past the last range needs no search.
    Map.Entry<Long, Long> last = ranges.lastEntry();
    if (last == null || last.getValue() < start) {
      ranges.put(start, end);
      return;
    }
    if (last.getKey() <= start) {
      if (end > last.getValue()) {
        ranges.put(last.getKey(), end);
      }
      return;
    }
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
      ranges.remove(before.getKey());
    }
    Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      ranges.remove(next.getKey());
      next = ranges.ceilingEntry(start);
    }
    ranges.put(start, end);
  }

  public void addAll(WrittenOffsets other) {
    other.ranges.forEach(this::add);
  }

  /**
   * The new committed offset given the current one: the end of the written run covering {@code
   * committed}, or {@code committed} itself. Ranges below the result are dropped.
   */
  public long advance(long committed) {
    long next = committed;
    Map.Entry<Long, Long> covering = ranges.floorEntry(next);
    if (covering != null && covering.getValue() > next) {
      next = covering.getValue();
    }
    // Ranges are disjoint and touching ones merged, so none that starts below next reaches past it.
    ranges.headMap(next, false).clear();
    return next;
  }

  /** How many offsets the ranges hold. */
  public long offsetCount() {
    long n = 0;
    for (Map.Entry<Long, Long> r : ranges.entrySet()) {
      n += r.getValue() - r.getKey();
    }
    return n;
  }

  /** The number of disjoint ranges (bounded by the gaps, not by the offsets). */
  public int rangeCount() {
    return ranges.size();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof WrittenOffsets other && ranges.equals(other.ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return ranges.toString();
  }
}
