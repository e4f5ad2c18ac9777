package io.loginenrichment.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.RawLoginRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.joda.time.Duration;

/** Generated payloads: the parser answers every one with an event or a dead letter, never throws. */
class LoginEventParserFuzzTest {
  static final LoginEventParser PARSER =
      new LoginEventParser(ZoneOffset.UTC, Duration.standardMinutes(5), 65536, Clock.systemUTC());

  static LoginEventParser.Outcome parse(byte[] value) {
    return PARSER.parse(RawLoginRecord.of("logins", 0, 1, null, value));
  }

  @Property(tries = 2000)
  void anyBytesGiveAnOutcome(@ForAll byte[] value) {
    assertThat(parse(value)).isNotNull();
  }

  @Property(tries = 2000)
  void anyStringGivesAnOutcomeAndADeadLetterKeepsThePayload(@ForAll String value) {
    LoginEventParser.Outcome outcome = parse(value.getBytes(StandardCharsets.UTF_8));
    if (outcome instanceof LoginEventParser.Invalid invalid) {
      DeadLetter d = invalid.deadLetter();
      assertThat(d.toJson()).contains("\"reason\":\"" + d.reason().code() + "\"");
      assertThat(d.payloadBytes()).isEqualTo(value.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Property(tries = 2000)
  void jsonShapedPayloadsGiveAnOutcome(@ForAll("jsonish") String value) {
    assertThat(parse(value.getBytes(StandardCharsets.UTF_8))).isNotNull();
  }

  /** Objects with the expected keys but random values, nesting and duplicates. */
  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.of("null", "true", "[]", "{}", "[[[[[]]]]]", "\"2020-09-20 10:00:05\"", "\"2020-02-30 10:00:05\""));
    Arbitrary<String> keys = Arbitraries.of("login_id", "created_time", "x", "");
    Arbitrary<String> pair = Combinators.combine(keys, scalars).as((k, v) -> "\"" + k + "\": " + v);
    return pair.list().ofMaxSize(5).map(pairs -> "{" + String.join(", ", pairs) + "}");
  }
}
