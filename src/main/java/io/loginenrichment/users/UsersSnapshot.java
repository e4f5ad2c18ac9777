package io.loginenrichment.users;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * The users table as loaded at one refresh: {@code login_id -> user_name}. A user whose name is
 * null in Cassandra is still a known user (present with a null name), not an unknown one.
 */
@DefaultCoder(UsersSnapshot.Coder.class)
public record UsersSnapshot(long version, Instant loadedAt, Map<String, @Nullable String> names) {

  public UsersSnapshot {
    names = Collections.unmodifiableMap(names);
  }

  public boolean contains(String loginId) {
    return names.containsKey(loginId);
  }

  public @Nullable String nameOf(String loginId) {
    return names.get(loginId);
  }

  public int size() {
    return names.size();
  }

  /** The newer of two snapshots; null counts as older than anything. */
  public static @Nullable UsersSnapshot newest(@Nullable UsersSnapshot a, @Nullable UsersSnapshot b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int byTime = a.loadedAt.compareTo(b.loadedAt);
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return a.version >= b.version ? a : b;
  }

  @Override
  public String toString() {
    return "UsersSnapshot{version=" + version + ", loadedAt=" + loadedAt + ", users=" + names.size() + "}";
  }

  public static final class Coder extends CustomCoder<UsersSnapshot> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /** How {@code @DefaultCoder} finds this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(UsersSnapshot.class), INSTANCE);
    }

    private static final NullableCoder<String> NAME = NullableCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(UsersSnapshot s, OutputStream out) throws IOException {
      VarLongCoder.of().encode(s.version, out);
      VarLongCoder.of().encode(s.loadedAt.getMillis(), out);
      VarIntCoder.of().encode(s.names.size(), out);
      for (Map.Entry<String, @Nullable String> e : s.names.entrySet()) {
        StringUtf8Coder.of().encode(e.getKey(), out);
        NAME.encode(e.getValue(), out);
      }
    }

    @Override
    public UsersSnapshot decode(InputStream in) throws IOException {
      long version = VarLongCoder.of().decode(in);
      Instant loadedAt = new Instant(VarLongCoder.of().decode(in));
      int size = VarIntCoder.of().decode(in);
      Map<String, @Nullable String> names = new HashMap<>(size * 4 / 3 + 1);
      for (int i = 0; i < size; i++) {
        names.put(StringUtf8Coder.of().decode(in), NAME.decode(in));
      }
      return new UsersSnapshot(version, loadedAt, names);
    }
  }
}
