package io.loginenrichment.tools;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A deterministic stream of login events: users drawn with Zipf skew, created times spread over a
 * span with out-of-order jitter, and a share of unknown ids and malformed records. The same
 * settings and seed always give the same events, so a test or benchmark can know the expected
 * final table.
 */
public final class SyntheticLogins {
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  /** What to generate. */
  public record Settings(
      int users,
      long count,
      double zipfSkew,
      double unknownShare,
      double malformedShare,
      Duration jitter,
      Instant start,
      Duration span,
      long seed) {

    public Settings {
      if (users <= 0 || count < 0) {
        throw new IllegalArgumentException("users must be positive and count not negative");
      }
      if (unknownShare < 0 || malformedShare < 0 || unknownShare + malformedShare > 1) {
        throw new IllegalArgumentException("shares must be in [0, 1] and sum to at most 1");
      }
    }
  }

  public enum Kind {
    VALID,
    UNKNOWN_USER,
    MALFORMED
  }

  /** One Kafka record to send, and what the pipeline must make of it. */
  public record Event(@Nullable String key, byte @Nullable [] value, Kind kind, @Nullable String loginId, @Nullable Instant createdTime) {}

  private static final String[] MALFORMED = {
    "{\"login_id\": \"%s\", \"created_time\": \"2020-09-20 10:00:05\"",
    "{\"login_id\": \"%s\"}",
    "{\"login_id\": \"%s\", \"created_time\": \"yesterday\"}",
    "{\"login_id\": \"%s\", \"created_time\": 1600596005}",
    "[\"%s\", \"2020-09-20 10:00:05\"]",
    "not json at all %s",
    "{\"login_id\": \"%s\", \"created_time\": \"9999-12-31 23:59:59\"}",
    "",
    "\u0000binary",
  };

  private final Settings settings;
  private final double[] cumulative;

  public SyntheticLogins(Settings settings) {
    this.settings = settings;
    this.cumulative = zipfCumulative(settings.users(), settings.zipfSkew());
  }

  public static String userId(int index) {
    return String.valueOf(1_000_000 + index);
  }

  /** The users the events refer to: {@code login_id -> user_name}. */
  public Map<String, String> users() {
    Map<String, String> users = new LinkedHashMap<>();
    for (int i = 0; i < settings.users(); i++) {
      users.put(userId(i), "user-" + i);
    }
    return users;
  }

  public Iterator<Event> events() {
    return new Iterator<>() {
      private final SplittableRandom random = new SplittableRandom(settings.seed());
      private long i;

      @Override
      public boolean hasNext() {
        return i < settings.count();
      }

      @Override
      public Event next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return event(random, i++);
      }
    };
  }

  private Event event(SplittableRandom random, long i) {
    long spanMillis = settings.span().toMillis();
    long base = settings.count() <= 1 ? 0 : spanMillis * i / (settings.count() - 1);
    long jitter = settings.jitter().toMillis();
    long offset = jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
    Instant created = settings.start().plusMillis(Math.max(0, Math.min(spanMillis, base + offset)));
    created = created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    double roll = random.nextDouble();
    if (roll < settings.malformedShare()) {
      String id = userId(pick(random));
      String template = MALFORMED[(int) (i % MALFORMED.length)];
      byte[] value =
          template.startsWith("\u0000")
              ? new byte[] {(byte) 0xC3, (byte) 0x28, (byte) i}
              : String.format(template, id).getBytes(StandardCharsets.UTF_8);
      return new Event(id, value, Kind.MALFORMED, null, null);
    }
    boolean unknown = roll < settings.malformedShare() + settings.unknownShare();
    String id = unknown ? String.valueOf(90_000_000 + random.nextInt(1_000_000)) : userId(pick(random));
    String json = "{\"login_id\": \"" + id + "\", \"created_time\": \"" + TIME.format(created) + "\"}";
    return new Event(
        id,
        json.getBytes(StandardCharsets.UTF_8),
        unknown ? Kind.UNKNOWN_USER : Kind.VALID,
        id,
        created);
  }

  private int pick(SplittableRandom random) {
    int idx = Arrays.binarySearch(cumulative, random.nextDouble());
    return Math.min(cumulative.length - 1, idx >= 0 ? idx : -idx - 1);
  }

  private static double[] zipfCumulative(int n, double skew) {
    double[] c = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, skew);
      c[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      c[k] /= sum;
    }
    return c;
  }
}
