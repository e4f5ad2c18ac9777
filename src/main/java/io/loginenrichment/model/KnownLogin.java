package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A login of a known user and the partition and offset it was read at. Kept flat on purpose:
 * windows buffer these until they fire, and the SparkRunner decodes and re-encodes that buffer
 * every micro-batch.
 */
@DefaultCoder(KnownLogin.Coder.class)
public record KnownLogin(LastLogin row, int partition, long offset) {

  public static final class Coder extends CustomCoder<KnownLogin> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(KnownLogin.class), INSTANCE);
    }

    @Override
    public void encode(KnownLogin k, OutputStream out) throws IOException {
      LastLogin.Coder.of().encode(k.row, out);
      VarIntCoder.of().encode(k.partition, out);
      VarLongCoder.of().encode(k.offset, out);
    }

    @Override
    public KnownLogin decode(InputStream in) throws IOException {
      return new KnownLogin(LastLogin.Coder.of().decode(in), VarIntCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
