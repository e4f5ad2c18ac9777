package io.loginenrichment.parse;

import io.loginenrichment.options.Durations;
import io.loginenrichment.options.LoginEnrichmentOptions;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.util.Utf8;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Turns one raw Kafka record into a {@link LoginEvent} or a {@link DeadLetter}; never throws for
 * bad input. Pure apart from reading the clock, which is injected so tests can fix it.
 *
 * <p>Accepted: a JSON object with string fields {@code login_id} and {@code created_time}; unknown
 * extra fields are ignored. {@code created_time} is either {@code yyyy-MM-dd HH:mm:ss[.fraction]}
 * in the configured zone, or ISO-8601 with an offset ({@code 2020-09-20T10:00:05Z}). Event times
 * before the Unix epoch, or later than now plus the allowed skew, are rejected: with event-time
 * last-write-wins a bogus future time would freeze a user's row forever.
 */
public final class LoginEventParser implements Serializable {

  /** Letters, digits and a few separators: no spaces, quotes or control characters. */
  static final Pattern LOGIN_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

  private static final DateTimeFormatter LOCAL_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT);

  private static final DateTimeFormatter ISO_WITH_OFFSET =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);

  private final ZoneId zone;
  private final Duration maxFutureSkew;
  private final int maxEventBytes;
  private final Clock clock;
  private transient ObjectMapper json;

  /** The parser the options describe (values already checked by {@code OptionChecks}). */
  public static LoginEventParser fromOptions(LoginEnrichmentOptions o, Clock clock) {
    return new LoginEventParser(
        ZoneId.of(o.getEventTimeZone()),
        Durations.parse("maxFutureSkew", o.getMaxFutureSkew()),
        o.getMaxEventBytes(),
        clock);
  }

  public LoginEventParser(ZoneId zone, Duration maxFutureSkew, int maxEventBytes, Clock clock) {
    this.zone = zone;
    this.maxFutureSkew = maxFutureSkew;
    this.maxEventBytes = maxEventBytes;
    this.clock = clock;
  }

  /** Either a valid event or the reason it is not one. */
  public sealed interface Outcome permits Valid, Invalid {}

  public record Valid(LoginEvent event) implements Outcome {}

  public record Invalid(DeadLetter deadLetter) implements Outcome {}

  /** Thrown internally for a rejected record; carries the stable reason. */
  private static final class Rejected extends Exception {
    final Reason reason;

    Rejected(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  public Outcome parse(RawLoginRecord record) {
    try {
      return new Valid(parseOrReject(record));
    } catch (Rejected r) {
      return new Invalid(
          DeadLetter.of(r.reason, r.getMessage(), record.source(), record.key(), record.value()));
    }
  }

  private LoginEvent parseOrReject(RawLoginRecord record) throws Rejected {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      throw new Rejected(Reason.EMPTY_VALUE, value == null ? "null value" : "empty value");
    }
    if (value.length > maxEventBytes) {
      throw new Rejected(
          Reason.TOO_LARGE, "value of " + value.length + " bytes exceeds " + maxEventBytes);
    }
    String text = decodeUtf8(value);
    JsonNode root;
    try {
      root = mapper().readTree(text);
    } catch (IOException e) {
      throw new Rejected(Reason.INVALID_JSON, firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new Rejected(
          Reason.NOT_AN_OBJECT,
          "expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
    }
    String loginId = loginId(root.get("login_id"));
    Instant createdTime = createdTime(root.get("created_time"));
    return new LoginEvent(loginId, createdTime, record.source(), text);
  }

  private static String loginId(JsonNode node) throws Rejected {
    if (node == null || node.isNull()) {
      throw new Rejected(Reason.MISSING_FIELD, "login_id is missing");
    }
    if (!node.isTextual()) {
      throw new Rejected(Reason.INVALID_LOGIN_ID, "login_id must be a string, got " + node.getNodeType());
    }
    String id = node.textValue();
    if (!LOGIN_ID.matcher(id).matches()) {
      throw new Rejected(
          Reason.INVALID_LOGIN_ID,
          "login_id must be 1-128 characters of [A-Za-z0-9_.:@-]");
    }
    return id;
  }

  private Instant createdTime(JsonNode node) throws Rejected {
    if (node == null || node.isNull()) {
      throw new Rejected(Reason.MISSING_FIELD, "created_time is missing");
    }
    if (!node.isTextual()) {
      throw new Rejected(
          Reason.BAD_TIMESTAMP, "created_time must be a string, got " + node.getNodeType());
    }
    java.time.Instant time = parseTime(node.textValue());
    if (time.isBefore(java.time.Instant.EPOCH)) {
      throw new Rejected(Reason.BAD_TIMESTAMP, "created_time is before 1970-01-01: " + time);
    }
    java.time.Instant latest =
        clock.instant().plusMillis(maxFutureSkew.getMillis());
    if (time.isAfter(latest)) {
      throw new Rejected(
          Reason.FUTURE_TIMESTAMP,
          "created_time " + time + " is more than " + maxFutureSkew + " ahead of now");
    }
    return new Instant(time.toEpochMilli());
  }

  private java.time.Instant parseTime(String text) throws Rejected {
    try {
      return LocalDateTime.parse(text, LOCAL_TIME).atZone(zone).toInstant();
    } catch (DateTimeParseException local) {
      try {
        return OffsetDateTime.parse(text, ISO_WITH_OFFSET).toInstant();
      } catch (DateTimeParseException iso) {
        throw new Rejected(
            Reason.BAD_TIMESTAMP,
            "created_time '" + abbreviate(text)
                + "' is neither 'yyyy-MM-dd HH:mm:ss' nor ISO-8601 with an offset");
      }
    }
  }

  private static String decodeUtf8(byte[] value) throws Rejected {
    String text = Utf8.decodeStrict(value);
    if (text == null) {
      throw new Rejected(Reason.INVALID_ENCODING, "value is not valid UTF-8");
    }
    return text;
  }

  private ObjectMapper mapper() {
    if (json == null) {
      JsonFactory factory =
          JsonFactory.builder()
              .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(32)
                      .maxStringLength(maxEventBytes)
                      .build())
              .build();
      json =
          new ObjectMapper(factory)
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
    return json;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
