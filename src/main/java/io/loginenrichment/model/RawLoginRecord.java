package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One Kafka record exactly as it arrived: the bytes are kept untouched so that a record that
 * cannot be parsed reaches the dead-letter topic as it was sent, with where it came from.
 */
@DefaultCoder(FieldsCoder.class)
public record RawLoginRecord(
    SourcePosition source, byte @Nullable [] key, byte @Nullable [] value) {
  public static final FieldsCoder<RawLoginRecord> CODER =
      FieldsCoder.of(
          RawLoginRecord.class,
          RawLoginRecord::new,
          field(RawLoginRecord::source, SourcePosition.CODER),
          field(RawLoginRecord::key, NullableCoder.of(ByteArrayCoder.of())),
          field(RawLoginRecord::value, NullableCoder.of(ByteArrayCoder.of())));

  public static RawLoginRecord of(String topic, int partition, long offset, byte[] key, byte[] value) {
    return new RawLoginRecord(new SourcePosition(topic, partition, offset), key, value);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RawLoginRecord r
        && source.equals(r.source)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "RawLoginRecord{" + source + ", " + (value == null ? "null" : value.length + " bytes") + "}";
  }
}
