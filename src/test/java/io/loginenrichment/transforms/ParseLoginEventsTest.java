package io.loginenrichment.transforms;

import static io.loginenrichment.testing.PipelineCounters.counter;
import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.model.Reason;
import io.loginenrichment.model.SourcePosition;
import io.loginenrichment.parse.LoginEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Raw records in; valid logins and dead letters, in one lane, out. */
@ExtendWith(TestPipelineExtension.class)
class ParseLoginEventsTest {
  static final int MAX_EVENT_BYTES = 256;
  static final LoginEventParser PARSER =
      new LoginEventParser(
          ZoneOffset.UTC,
          Duration.standardMinutes(5),
          MAX_EVENT_BYTES,
          Clock.fixed(java.time.Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC));

  static final String TOPIC = "logins";
  static final int PARTITION = 3;
  static final byte[] KEY = "device-7".getBytes(StandardCharsets.UTF_8);
  /** The record's own timestamp: the source's arrival bound. */
  static final Instant RECEIVED = Instant.parse("2020-09-20T10:00:30Z");

  /** Created after the record's timestamp. */
  static final String LOGIN_AHEAD = "{\"login_id\": \"100001\", \"created_time\": \"2020-09-20 10:00:35\"}";
  static final Instant LOGIN_AHEAD_CREATED = Instant.parse("2020-09-20T10:00:35Z");
  /** Created before the record's timestamp (it arrived late). */
  static final String LOGIN_BEHIND = "{\"login_id\": \"100087\", \"created_time\": \"2020-09-20 10:00:05\"}";
  static final Instant LOGIN_BEHIND_CREATED = Instant.parse("2020-09-20T10:00:05Z");

  /** One record of each kind the parser rejects, with the reason it must be rejected for. */
  enum Malformed {
    EMPTY(Reason.EMPTY_VALUE, new byte[0]),
    OVERSIZED(Reason.TOO_LARGE, ("{\"login_id\": \"100001\", \"pad\": \"" + "x".repeat(MAX_EVENT_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8)),
    NOT_UTF8(Reason.INVALID_ENCODING, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}),
    NOT_JSON(Reason.INVALID_JSON, utf8("not json at all")),
    A_NUMBER(Reason.NOT_AN_OBJECT, utf8("42")),
    NO_CREATED_TIME(Reason.MISSING_FIELD, utf8("{\"login_id\": \"100001\"}")),
    SPACE_IN_LOGIN_ID(Reason.INVALID_LOGIN_ID, utf8("{\"login_id\": \"1000 01\", \"created_time\": \"2020-09-20 10:00:05\"}")),
    WORDS_FOR_A_TIME(Reason.BAD_TIMESTAMP, utf8("{\"login_id\": \"100001\", \"created_time\": \"yesterday\"}")),
    FAR_FUTURE(Reason.FUTURE_TIMESTAMP, utf8("{\"login_id\": \"100001\", \"created_time\": \"9999-12-31 23:59:59\"}"));

    final Reason reason;
    final byte[] value;

    Malformed(Reason reason, byte[] value) {
      this.reason = reason;
      this.value = value;
    }

    /** Each kind has its own offset, so a dead letter shows which record it was. */
    long offset() {
      return 100 + ordinal();
    }

    RawLoginRecord record() {
      return new RawLoginRecord(new SourcePosition(TOPIC, PARTITION, offset()), KEY, value);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static RawLoginRecord record(long offset, String value) {
    return new RawLoginRecord(new SourcePosition(TOPIC, PARTITION, offset), KEY, utf8(value));
  }

  static PCollection<TimestampedValue<RawUnionValue>> parse(TestPipeline p, List<RawLoginRecord> records) {
    List<TimestampedValue<RawLoginRecord>> stamped = new ArrayList<>();
    records.forEach(r -> stamped.add(TimestampedValue.of(r, RECEIVED)));
    return p.apply("Records", Create.timestamped(stamped).withCoder(RawLoginRecord.CODER))
        .apply("ParseLoginEvents", new ParseLoginEvents(PARSER))
        .apply("WithTimestamps", Reify.timestamps());
  }

  static TimestampedValue<RawUnionValue> login(String id, Instant created, long offset, String raw, Instant timestamp) {
    return TimestampedValue.of(
        DeadLetterLane.value(new LoginEvent(id, created, new SourcePosition(TOPIC, PARTITION, offset), raw)), timestamp);
  }

  @Test
  void aValidLoginTakesItsCreatedTimeAsTimestampOnlyWhenThatIsLaterThanTheRecords(TestPipeline p) {
    PCollection<TimestampedValue<RawUnionValue>> out = parse(p, List.of(record(0, LOGIN_AHEAD), record(1, LOGIN_BEHIND)));

    PAssert.that(out)
        .containsInAnyOrder(
            login("100001", LOGIN_AHEAD_CREATED, 0, LOGIN_AHEAD, LOGIN_AHEAD_CREATED),
            // Never moved back behind the record: it would land behind the watermark.
            login("100087", LOGIN_BEHIND_CREATED, 1, LOGIN_BEHIND, RECEIVED));
    p.run();
  }

  @Test
  void eachMalformedKindIsADeadLetterWithItsReasonPayloadAndPosition(TestPipeline p) {
    List<RawLoginRecord> records = new ArrayList<>();
    for (Malformed m : Malformed.values()) {
      records.add(m.record());
    }
    PCollection<TimestampedValue<RawUnionValue>> out = parse(p, records);

    PAssert.that(out)
        .satisfies(
            all -> {
              Map<Long, DeadLetter> byOffset = new HashMap<>();
              for (TimestampedValue<RawUnionValue> t : all) {
                assertThat(DeadLetterLane.isDeadLetter(t.getValue())).as("%s is a dead letter", t).isTrue();
                assertThat(t.getTimestamp()).as("a dead letter keeps its record's timestamp").isEqualTo(RECEIVED);
                DeadLetter d = (DeadLetter) t.getValue().getValue();
                byOffset.put(d.source().offset(), d);
              }
              assertThat(byOffset).hasSize(Malformed.values().length);
              for (Malformed m : Malformed.values()) {
                DeadLetter d = byOffset.get(m.offset());
                assertThat(d.reason()).as(m.name()).isEqualTo(m.reason);
                assertThat(d.source()).as(m.name()).isEqualTo(new SourcePosition(TOPIC, PARTITION, m.offset()));
                assertThat(d.key()).as(m.name()).isEqualTo(KEY);
                assertThat(d.message()).as(m.name()).isNotBlank();
                assertThat(d.payloadBytes()).as(m.name()).isEqualTo(m.value.length);
                assertThat(decoded(d)).as(m.name() + " payload").isEqualTo(m.value);
              }
              return null;
            });
    p.run();
  }

  @Test
  void everyRecordIsCountedInAndEitherValidOrADeadLetter(TestPipeline p) {
    List<RawLoginRecord> records = new ArrayList<>(List.of(record(0, LOGIN_AHEAD), record(1, LOGIN_BEHIND)));
    for (Malformed m : Malformed.values()) {
      records.add(m.record());
    }
    PCollection<TimestampedValue<RawUnionValue>> out = parse(p, records);
    int valid = 2;
    int deadLetters = Malformed.values().length;

    PAssert.that(out)
        .satisfies(
            all -> {
              long dead = 0;
              long values = 0;
              for (TimestampedValue<RawUnionValue> t : all) {
                if (DeadLetterLane.isDeadLetter(t.getValue())) {
                  dead++;
                } else {
                  values++;
                }
              }
              assertThat(values).isEqualTo(valid);
              assertThat(dead).isEqualTo(deadLetters);
              return null;
            });
    PipelineResult result = p.run();
    assertThat(counter(result, "events_in")).isEqualTo(valid + deadLetters);
    assertThat(counter(result, "events_valid")).isEqualTo(valid);
  }

  /** The payload's bytes as the dead letter holds them (text, or base64 when not UTF-8). */
  static byte[] decoded(DeadLetter d) {
    return d.payloadEncoding().equals("base64") ? Base64.getDecoder().decode(d.payload()) : utf8(d.payload());
  }
}
