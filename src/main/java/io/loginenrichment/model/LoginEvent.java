package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * A valid login: who, when (event time, from {@code created_time}), and the record it came from.
 * The raw value is kept so that a login of an unknown user is dead-lettered as it was sent.
 */
@DefaultCoder(LoginEvent.Coder.class)
public record LoginEvent(String loginId, Instant createdTime, SourcePosition source, String rawValue) {

  public static final class Coder extends CustomCoder<LoginEvent> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(LoginEvent.class), INSTANCE);
    }

    @Override
    public void encode(LoginEvent e, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(e.loginId, out);
      VarLongCoder.of().encode(e.createdTime.getMillis(), out);
      SourcePosition.Coder.of().encode(e.source, out);
      StringUtf8Coder.of().encode(e.rawValue, out);
    }

    @Override
    public LoginEvent decode(InputStream in) throws IOException {
      return new LoginEvent(
          StringUtf8Coder.of().decode(in),
          new Instant(VarLongCoder.of().decode(in)),
          SourcePosition.Coder.of().decode(in),
          StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
