package io.loginenrichment.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model coder against Beam's coder properties, on typical values and edge cases. Each value
 * is built twice, the second time differently (other insertion order, copied strings), so that
 * "equal values encode alike" is tested on values that are equal without being the same.
 */
class ModelCodersTest {
  private static final Instant T = new Instant(1_718_000_000_123L);
  private static final String JSON = "{\"login_id\":\"user-000123\",\"created_time\":\"2024-06-10T06:13:20.123Z\"}";

  /** Reason by name, message, source, payload (present, 68 bytes), its encoding, size and truncation, key (present). */
  private static final String DEAD_LETTER_HEX =
      "0c554e4b4e4f574e5f55534552" + "0c6e6f20737563682075736572" + "066c6f67696e730387ad4b"
          + "0144" + HexFormat.of().formatHex(bytes(JSON)) + "0475746638" + "4400" + "010b757365722d303030313233";

  /** A value of a model type, built twice. */
  record Case<T>(String name, Coder<T> coder, Supplier<T> value, Supplier<T> sameValueOtherwise) {
    @Override
    public String toString() {
      return name;
    }
  }

  static <T> Arguments of(String name, Coder<T> coder, Supplier<T> value, Supplier<T> sameValueOtherwise) {
    return Arguments.of(new Case<>(name, coder, value, sameValueOtherwise));
  }

  static <T> Arguments of(String name, Coder<T> coder, Supplier<T> value) {
    return of(name, coder, value, value);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        of("SourcePosition", SourcePosition.CODER, () -> new SourcePosition("logins", 3, 1_234_567L),
            () -> new SourcePosition(copy("logins"), 3, 1_234_567L)),
        of("SourcePosition at extremes", SourcePosition.CODER, () -> new SourcePosition("", Integer.MAX_VALUE, Long.MAX_VALUE)),
        of("LastLogin", LastLogin.CODER, () -> new LastLogin("user-000123", "Alice Example", T),
            () -> new LastLogin(copy("user-000123"), copy("Alice Example"), new Instant(T.getMillis()))),
        of("LastLogin without user name", LastLogin.CODER, () -> new LastLogin("user-000123", null, T)),
        of("LastLogin with empty user name, non-ASCII", LastLogin.CODER, () -> new LastLogin("ü€𝄞", "", new Instant(0))),
        of("LoginEvent", LoginEvent.CODER, () -> new LoginEvent("user-000123", T, position(), JSON),
            () -> new LoginEvent(copy("user-000123"), new Instant(T.getMillis()), position(), copy(JSON))),
        of("KnownLogin", KnownLogin.CODER, () -> new KnownLogin(new LastLogin("user-000123", null, T), 3, 1_234_567L)),
        of("RawLoginRecord", RawLoginRecord.CODER,
            () -> RawLoginRecord.of("logins", 3, 1_234_567L, bytes("user-000123"), bytes(JSON))),
        of("RawLoginRecord without key or value", RawLoginRecord.CODER, () -> new RawLoginRecord(position(), null, null)),
        of("RawLoginRecord with empty key and value", RawLoginRecord.CODER,
            () -> new RawLoginRecord(position(), new byte[0], new byte[0])),
        of("WrittenOffsets", WrittenOffsets.CODER, () -> WrittenOffsets.of(1_234_567L, 1_234_568L, 1_234_570L),
            () -> WrittenOffsets.of(1_234_570L, 1_234_568L, 1_234_567L)),
        of("WrittenOffsets empty", WrittenOffsets.CODER, WrittenOffsets::new),
        of("WrittenOffsets of many ranges", WrittenOffsets.CODER, ModelCodersTest::manyRanges, ModelCodersTest::manyRangesMerged),
        of("SourceOffsets", SourceOffsets.CODER, () -> SourceOffsets.of(position())),
        of("SourceOffsets empty", SourceOffsets.CODER, SourceOffsets::new),
        of("SourceOffsets of many partitions", SourceOffsets.CODER, () -> partitions(false), () -> partitions(true)),
        of("SourcedRow", SourcedRow.CODER,
            () -> new SourcedRow(new LastLogin("user-000123", "Alice Example", T), SourceOffsets.of(position()))),
        of("SourcedRow of many partitions", SourcedRow.CODER,
            () -> new SourcedRow(new LastLogin("user-000123", null, T), partitions(false)),
            () -> new SourcedRow(new LastLogin("user-000123", null, T), partitions(true))),
        of("DeadLetter", DeadLetter.CODER, ModelCodersTest::deadLetter,
            () -> DeadLetter.of(Reason.UNKNOWN_USER, copy("no such user"), position(), bytes("user-000123"), bytes(JSON))),
        of("DeadLetter without key or value", DeadLetter.CODER,
            () -> DeadLetter.of(Reason.EMPTY_VALUE, "empty", position(), null, null)),
        of("DeadLetter of bytes that are not UTF-8", DeadLetter.CODER,
            () -> DeadLetter.of(Reason.INVALID_ENCODING, "not UTF-8", position(), new byte[0], new byte[] {(byte) 0xc3, 0x28})),
        of("DeadLetter truncated", DeadLetter.CODER,
            () -> DeadLetter.of(Reason.TOO_LARGE, "too large", position(), "x".repeat(DeadLetter.MAX_PAYLOAD_BYTES + 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <T> void decodesToAnEqualValue(Case<T> c) throws Exception {
    CoderProperties.coderDecodeEncodeEqual(c.coder(), c.value().get());
    CoderProperties.structuralValueDecodeEncodeEqual(c.coder(), c.value().get());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <T> void isDeterministicAndEncodesEqualValuesAlike(Case<T> c) throws Exception {
    assertThatCode(c.coder()::verifyDeterministic).doesNotThrowAnyException();
    CoderProperties.coderDeterministic(c.coder(), c.value().get(), c.sameValueOtherwise().get());
    CoderProperties.coderConsistentWithEquals(c.coder(), c.value().get(), c.sameValueOtherwise().get());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <T> void survivesSerializationAsAnEqualCoder(Case<T> c) {
    CoderProperties.coderSerializable(c.coder());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <T> void isTheTypesDefaultCoder(Case<T> c) throws Exception {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) c.value().get().getClass();
    assertThat(CoderRegistry.createDefault().getCoder(type)).isSameAs(c.coder());
  }

  /**
   * The wire format of a typical value, pinned, so that a change to it is deliberate and its size
   * visible. All but DeadLetter's are the bytes the hand-written coders wrote.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pinned")
  <T> void encodesAsBefore(String name, Coder<T> coder, T value, String hex) throws Exception {
    assertThat(HexFormat.of().formatHex(CoderUtils.encodeToByteArray(coder, value))).isEqualTo(hex);
  }

  static Stream<Arguments> pinned() {
    LastLogin row = new LastLogin("user-000123", "Alice Example", T);
    return Stream.of(
        Arguments.of("SourcePosition", SourcePosition.CODER, position(), "066c6f67696e730387ad4b"),
        Arguments.of("LastLogin", LastLogin.CODER, row,
            "0b757365722d303030313233010d416c696365204578616d706c65fbb89e868032"),
        Arguments.of("LastLogin without user name", LastLogin.CODER, new LastLogin("user-000123", null, T),
            "0b757365722d30303031323300fbb89e868032"),
        Arguments.of("KnownLogin", KnownLogin.CODER, new KnownLogin(row, 3, 1_234_567L),
            "0b757365722d303030313233010d416c696365204578616d706c65fbb89e8680320387ad4b"),
        Arguments.of("WrittenOffsets", WrittenOffsets.CODER, WrittenOffsets.of(1_234_567L, 1_234_568L, 1_234_570L),
            "0287ad4b020101"),
        Arguments.of("SourceOffsets", SourceOffsets.CODER, SourceOffsets.of(position()), "01030187ad4b01"),
        Arguments.of("SourcedRow", SourcedRow.CODER, new SourcedRow(row, SourceOffsets.of(position())),
            "0b757365722d303030313233010d416c696365204578616d706c65fbb89e86803201030187ad4b01"),
        Arguments.of("DeadLetter", DeadLetter.CODER, deadLetter(), DEAD_LETTER_HEX));
  }

  private static DeadLetter deadLetter() {
    return DeadLetter.of(Reason.UNKNOWN_USER, "no such user", position(), bytes("user-000123"), bytes(JSON));
  }

  private static SourcePosition position() {
    return new SourcePosition("logins", 3, 1_234_567L);
  }

  private static String copy(String s) {
    return new String(s.toCharArray());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A hundred ranges of two offsets, gaps of three between them, each added whole and in order. */
  private static WrittenOffsets manyRanges() {
    WrittenOffsets w = new WrittenOffsets();
    for (long o = 1_000_000_000L; o < 1_000_000_500L; o += 5) {
      w.add(o, o + 2);
    }
    return w;
  }

  /** The same ranges backwards, each added as two offsets that merge. */
  private static WrittenOffsets manyRangesMerged() {
    WrittenOffsets w = new WrittenOffsets();
    for (long o = 1_000_000_495L; o >= 1_000_000_000L; o -= 5) {
      w.add(o + 1, o + 2);
      w.add(o, o + 1);
    }
    return w;
  }

  /** Four partitions with gaps; in reverse, the partitions and their offsets arrive backwards. */
  private static SourceOffsets partitions(boolean reverse) {
    SourceOffsets s = new SourceOffsets();
    List<Integer> parts = reverse ? List.of(11, 7, 2, 0) : List.of(0, 2, 7, 11);
    for (int p : parts) {
      for (int i = 0; i < 10; i++) {
        long o = 5_000L * p + (reverse ? 27 - 3 * i : 3 * i);
        s.add(p, o);
      }
    }
    return s;
  }
}
