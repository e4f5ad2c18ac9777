package io.loginenrichment.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * The row the pipeline writes: a known user's newest login. {@code userName} comes from the users
 * table (it may be null there) and is carried for output and logs; only {@code last_login} is
 * written back, so a concurrent rename is never overwritten with a stale name.
 */
@DefaultCoder(LastLogin.Coder.class)
public record LastLogin(String loginId, @Nullable String userName, Instant lastLogin)
    implements Serializable {

  /** Newer login wins; equal times fall back to the id so the choice never depends on order. */
  public static LastLogin newer(LastLogin a, LastLogin b) {
    int byTime = a.lastLogin.compareTo(b.lastLogin);
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return a.loginId.compareTo(b.loginId) >= 0 ? a : b;
  }

  public static final class Coder extends CustomCoder<LastLogin> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(LastLogin.class), INSTANCE);
    }

    private static final NullableCoder<String> NAME = NullableCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(LastLogin l, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(l.loginId, out);
      NAME.encode(l.userName, out);
      VarLongCoder.of().encode(l.lastLogin.getMillis(), out);
    }

    @Override
    public LastLogin decode(InputStream in) throws IOException {
      return new LastLogin(
          StringUtf8Coder.of().decode(in), NAME.decode(in), new Instant(VarLongCoder.of().decode(in)));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
