package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import io.loginenrichment.coders.VarInstantCoder;
import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The row the pipeline writes: a known user's newest login. {@code userName} comes from the users
 * table (it may be null there) and is carried for output and logs; only {@code last_login} is
 * written back, so a concurrent rename is never overwritten with a stale name.
 */
@DefaultCoder(FieldsCoder.class)
public record LastLogin(String loginId, @Nullable String userName, Instant lastLogin)
    implements Serializable {
  public static final FieldsCoder<LastLogin> CODER =
      FieldsCoder.of(
          LastLogin.class,
          LastLogin::new,
          field(LastLogin::loginId, StringUtf8Coder.of()),
          field(LastLogin::userName, NullableCoder.of(StringUtf8Coder.of())),
          field(LastLogin::lastLogin, VarInstantCoder.of()));

  /** Newer login wins; equal times fall back to the id so the choice never depends on order. */
  public static LastLogin newer(LastLogin a, LastLogin b) {
    int byTime = a.lastLogin.compareTo(b.lastLogin);
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return a.loginId.compareTo(b.loginId) >= 0 ? a : b;
  }
}
