package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A row to write and the Kafka records it stands for: the login it holds and every older login
 * of the same user and window merged into it. Once the row is written, all of them are done, and
 * their offsets may be committed.
 */
@DefaultCoder(SourcedRow.Coder.class)
public record SourcedRow(LastLogin row, SourceOffsets sources) {


  public static final class Coder extends CustomCoder<SourcedRow> {
    private static final Coder INSTANCE = new Coder();
    private static final SourceOffsets.Coder SOURCES = SourceOffsets.Coder.of();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(SourcedRow.class), INSTANCE);
    }

    @Override
    public void encode(SourcedRow r, OutputStream out) throws IOException {
      LastLogin.Coder.of().encode(r.row, out);
      SOURCES.encode(r.sources, out);
    }

    @Override
    public SourcedRow decode(InputStream in) throws IOException {
      return new SourcedRow(LastLogin.Coder.of().decode(in), SOURCES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
