package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One Kafka record exactly as it arrived: the bytes are kept untouched so that a record that
 * cannot be parsed reaches the dead-letter topic as it was sent, with where it came from.
 */
@DefaultCoder(RawLoginRecord.Coder.class)
public record RawLoginRecord(
    SourcePosition source, byte @Nullable [] key, byte @Nullable [] value) {

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

  public static final class Coder extends CustomCoder<RawLoginRecord> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(RawLoginRecord.class), INSTANCE);
    }

    private static final NullableCoder<byte[]> BYTES = NullableCoder.of(ByteArrayCoder.of());

    @Override
    public void encode(RawLoginRecord r, OutputStream out) throws IOException {
      SourcePosition.Coder.of().encode(r.source, out);
      BYTES.encode(r.key, out);
      BYTES.encode(r.value, out);
    }

    @Override
    public RawLoginRecord decode(InputStream in) throws IOException {
      return new RawLoginRecord(SourcePosition.Coder.of().decode(in), BYTES.decode(in), BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
