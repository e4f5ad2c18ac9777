package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Where a record was read: enough to find it again in Kafka. */
public record SourcePosition(String topic, int partition, long offset) implements Serializable {

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }

  public static final class Coder extends CustomCoder<SourcePosition> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SourcePosition p, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(p.topic, out);
      VarIntCoder.of().encode(p.partition, out);
      VarLongCoder.of().encode(p.offset, out);
    }

    @Override
    public SourcePosition decode(InputStream in) throws IOException {
      return new SourcePosition(
          StringUtf8Coder.of().decode(in), VarIntCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
