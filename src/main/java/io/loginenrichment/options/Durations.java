package io.loginenrichment.options;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/** Human durations for options: {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms}, or ISO {@code PT30S}. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  public static Duration parse(String option, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      d =
          switch (unit) {
            case "ms" -> Duration.millis(n);
            case "m" -> Duration.standardMinutes(n);
            case "h" -> Duration.standardHours(n);
            case "d" -> Duration.standardDays(n);
            default -> Duration.standardSeconds(n);
          };
    } else {
      try {
        d = Duration.millis(java.time.Duration.parse(text.trim()).toMillis());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--" + option + "=" + text + " is not a duration (examples: 30s, 5m, 1h, PT30S)");
      }
    }
    if (d.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("--" + option + " must not be negative");
    }
    return d;
  }
}
