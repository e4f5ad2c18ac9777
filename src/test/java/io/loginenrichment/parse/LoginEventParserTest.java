package io.loginenrichment.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoginEventParserTest {
  static final java.time.Instant NOW = java.time.Instant.parse("2024-06-01T12:00:00Z");
  static final LoginEventParser PARSER =
      new LoginEventParser(ZoneOffset.UTC, Duration.standardMinutes(5), 65536, Clock.fixed(NOW, ZoneOffset.UTC));

  /** Every line of the malformed corpus, with the reason it must be rejected for. */
  static final Map<String, Reason> CORPUS = new LinkedHashMap<>();

  static {
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"2020-09-20 10:00:05\"", Reason.INVALID_JSON);
    CORPUS.put("{\"login_id\": \"100001\"}", Reason.MISSING_FIELD);
    CORPUS.put("{\"created_time\": \"2020-09-20 10:00:05\"}", Reason.MISSING_FIELD);
    CORPUS.put("{\"login_id\": \"\", \"created_time\": \"2020-09-20 10:00:05\"}", Reason.INVALID_LOGIN_ID);
    CORPUS.put("{\"login_id\": null, \"created_time\": \"2020-09-20 10:00:05\"}", Reason.MISSING_FIELD);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": null}", Reason.MISSING_FIELD);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"\"}", Reason.BAD_TIMESTAMP);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"yesterday\"}", Reason.BAD_TIMESTAMP);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"2020-13-45 25:61:61\"}", Reason.BAD_TIMESTAMP);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"2020/09/20 10:00:05\"}", Reason.BAD_TIMESTAMP);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": 1600596005}", Reason.BAD_TIMESTAMP);
    CORPUS.put("{\"login_id\": [\"100001\"], \"created_time\": \"2020-09-20 10:00:05\"}", Reason.INVALID_LOGIN_ID);
    CORPUS.put("{\"login_id\": {\"id\": \"100001\"}, \"created_time\": \"2020-09-20 10:00:05\"}", Reason.INVALID_LOGIN_ID);
    CORPUS.put("[\"100001\", \"2020-09-20 10:00:05\"]", Reason.NOT_AN_OBJECT);
    CORPUS.put("\"100001\"", Reason.NOT_AN_OBJECT);
    CORPUS.put("42", Reason.NOT_AN_OBJECT);
    CORPUS.put("null", Reason.NOT_AN_OBJECT);
    CORPUS.put("true", Reason.NOT_AN_OBJECT);
    CORPUS.put("not json at all", Reason.INVALID_JSON);
    CORPUS.put("100001,2020-09-20 10:00:05", Reason.INVALID_JSON);
    CORPUS.put("{}", Reason.MISSING_FIELD);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"2020-02-30 10:00:05\"}", Reason.BAD_TIMESTAMP);
    CORPUS.put("{\"login_id\": \"1000 01\", \"created_time\": \"2020-09-20 10:00:05\"}", Reason.INVALID_LOGIN_ID);
    CORPUS.put(
        "{\"login_id\": \"100001'; DROP TABLE users; --\", \"created_time\": \"2020-09-20 10:00:05\"}",
        Reason.INVALID_LOGIN_ID);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"9999-12-31 23:59:59\"}", Reason.FUTURE_TIMESTAMP);
    CORPUS.put("{\"login_id\": \"100001\", \"created_time\": \"0000-01-01 00:00:00\"}", Reason.BAD_TIMESTAMP);
    CORPUS.put("<login><id>100001</id></login>", Reason.INVALID_JSON);
  }

  static RawLoginRecord raw(String value) {
    return raw(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  static RawLoginRecord raw(byte[] value) {
    return RawLoginRecord.of("logins", 2, 17, "k".getBytes(StandardCharsets.UTF_8), value);
  }

  static LoginEvent valid(String value) {
    LoginEventParser.Outcome outcome = PARSER.parse(raw(value));
    assertThat(outcome).isInstanceOf(LoginEventParser.Valid.class);
    return ((LoginEventParser.Valid) outcome).event();
  }

  static DeadLetter invalid(byte[] value) {
    LoginEventParser.Outcome outcome = PARSER.parse(raw(value));
    assertThat(outcome).isInstanceOf(LoginEventParser.Invalid.class);
    return ((LoginEventParser.Invalid) outcome).deadLetter();
  }

  @Test
  void parsesTheOriginalFormatAsUtc() {
    LoginEvent e = valid("{\"login_id\": \"100087\", \"created_time\": \"2020-09-18 07:15:00\"}");
    assertThat(e.loginId()).isEqualTo("100087");
    assertThat(e.createdTime()).isEqualTo(Instant.parse("2020-09-18T07:15:00Z"));
    assertThat(e.source().toString()).isEqualTo("logins-2@17");
  }

  @Test
  void acceptsIsoTimesWithAnOffsetAndFractions() {
    assertThat(valid("{\"login_id\": \"a\", \"created_time\": \"2020-09-18T09:15:00+02:00\"}").createdTime())
        .isEqualTo(Instant.parse("2020-09-18T07:15:00Z"));
    assertThat(valid("{\"login_id\": \"a\", \"created_time\": \"2020-09-18 07:15:00.250\"}").createdTime())
        .isEqualTo(Instant.parse("2020-09-18T07:15:00.250Z"));
  }

  @Test
  void interpretsLocalTimesInTheConfiguredZone() {
    LoginEventParser paris =
        new LoginEventParser(ZoneId.of("Europe/Paris"), Duration.standardMinutes(5), 65536, Clock.fixed(NOW, ZoneOffset.UTC));
    LoginEventParser.Outcome o =
        paris.parse(raw("{\"login_id\": \"a\", \"created_time\": \"2020-09-18 09:15:00\"}"));
    assertThat(((LoginEventParser.Valid) o).event().createdTime())
        .isEqualTo(Instant.parse("2020-09-18T07:15:00Z"));
  }

  @Test
  void ignoresUnknownExtraFields() {
    LoginEvent e =
        valid("{\"login_id\": \"100087\", \"device\": {\"os\": \"ios\"}, \"created_time\": \"2020-09-18 07:15:00\", \"n\": [1,2]}");
    assertThat(e.loginId()).isEqualTo("100087");
  }

  @Test
  void corpusTableCoversEveryLineOfTheFixture() {
    assertThat(CORPUS.keySet()).containsExactlyInAnyOrderElementsOf(Fixtures.badEvents());
  }

  static Stream<Arguments> corpus() {
    return CORPUS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("corpus")
  void everyMalformedEventIsADeadLetterWithItsReason(String line, Reason reason) {
    DeadLetter d = invalid(line.getBytes(StandardCharsets.UTF_8));
    assertThat(d.reason()).isEqualTo(reason);
    assertThat(d.payload()).isEqualTo(line);
    assertThat(d.payloadEncoding()).isEqualTo("utf8");
    assertThat(d.source().toString()).isEqualTo("logins-2@17");
    assertThat(d.message()).isNotBlank();
  }

  @Test
  void emptyAndNullValuesAreDeadLetters() {
    assertThat(invalid(new byte[0]).reason()).isEqualTo(Reason.EMPTY_VALUE);
    DeadLetter nullValue = invalid(null);
    assertThat(nullValue.reason()).isEqualTo(Reason.EMPTY_VALUE);
    assertThat(nullValue.payloadEncoding()).isEqualTo("none");
  }

  @Test
  void nonUtf8BytesAreDeadLetteredAsBase64() {
    byte[] bytes = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
    DeadLetter d = invalid(bytes);
    assertThat(d.reason()).isEqualTo(Reason.INVALID_ENCODING);
    assertThat(d.payloadEncoding()).isEqualTo("base64");
    assertThat(java.util.Base64.getDecoder().decode(d.payload())).isEqualTo(bytes);
  }

  @Test
  void oversizedValueIsRejectedAndItsPayloadCut() {
    byte[] huge = new byte[1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'x');
    DeadLetter d = invalid(huge);
    assertThat(d.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(d.payloadBytes()).isEqualTo(huge.length);
    assertThat(d.payloadTruncated()).isTrue();
    assertThat(d.payload()).hasSize(DeadLetter.MAX_PAYLOAD_BYTES);
    assertThat(d.toJson().length()).isLessThan(20_000);
  }

  @Test
  void eventTimeAtTheSkewLimitIsAcceptedAndBeyondItRejected() {
    assertThat(valid("{\"login_id\": \"a\", \"created_time\": \"2024-06-01 12:05:00\"}").createdTime())
        .isEqualTo(Instant.parse("2024-06-01T12:05:00Z"));
    assertThat(invalid("{\"login_id\": \"a\", \"created_time\": \"2024-06-01 12:05:01\"}".getBytes(StandardCharsets.UTF_8)).reason())
        .isEqualTo(Reason.FUTURE_TIMESTAMP);
  }

  @Test
  void timesBeforeTheEpochAreRejected() {
    assertThat(invalid("{\"login_id\": \"a\", \"created_time\": \"1969-12-31 23:59:59\"}".getBytes(StandardCharsets.UTF_8)).reason())
        .isEqualTo(Reason.BAD_TIMESTAMP);
    assertThat(valid("{\"login_id\": \"a\", \"created_time\": \"1970-01-01 00:00:00\"}").createdTime())
        .isEqualTo(new Instant(0));
  }

  @Test
  void hostileShapesAreRejectedNotThrown() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String dupKeys = "{\"login_id\": \"a\", \"login_id\": \"b\", \"created_time\": \"2020-09-18 07:15:00\"}";
    String longId = "{\"login_id\": \"" + "9".repeat(500) + "\", \"created_time\": \"2020-09-18 07:15:00\"}";
    String control = "{\"login_id\": \"10\\u000001\", \"created_time\": \"2020-09-18 07:15:00\"}";
    for (String hostile : List.of(deep, dupKeys, longId, control)) {
      assertThat(PARSER.parse(raw(hostile))).isInstanceOf(LoginEventParser.Invalid.class);
    }
    assertThat(invalid(dupKeys.getBytes(StandardCharsets.UTF_8)).reason()).isEqualTo(Reason.INVALID_JSON);
  }

  @Test
  void deadLetterJsonNamesReasonAndSource() {
    String json = invalid("nope".getBytes(StandardCharsets.UTF_8)).toJson();
    assertThat(json)
        .contains("\"reason\":\"invalid_json\"")
        .contains("\"topic\":\"logins\"")
        .contains("\"partition\":2")
        .contains("\"offset\":17")
        .contains("\"payload\":\"nope\"");
  }
}
