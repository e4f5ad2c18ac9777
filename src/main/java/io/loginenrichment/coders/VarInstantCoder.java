package io.loginenrichment.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * An instant as its epoch millis in a variable-length long: 6 bytes for a current time where
 * Beam's {@code InstantCoder} takes 8.
 */
public final class VarInstantCoder extends AtomicCoder<Instant> {
  private static final VarInstantCoder INSTANCE = new VarInstantCoder();
  private static final VarLongCoder MILLIS = VarLongCoder.of();

  private VarInstantCoder() {}

  public static VarInstantCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Instant value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null Instant");
    }
    MILLIS.encode(value.getMillis(), out);
  }

  @Override
  public Instant decode(InputStream in) throws IOException {
    return new Instant(MILLIS.decode(in));
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    MILLIS.verifyDeterministic();
  }

  /** An {@code Instant} is its millis (always in UTC), so equal instants encode alike. */
  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public TypeDescriptor<Instant> getEncodedTypeDescriptor() {
    return TypeDescriptor.of(Instant.class);
  }
}
