package io.loginenrichment.coders;

import static io.loginenrichment.coders.FieldsCoder.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder.NonDeterministicException;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class FieldsCoderTest {

  @DefaultCoder(FieldsCoder.class)
  public record One(String name) {
    public static final FieldsCoder<One> CODER = FieldsCoder.of(One.class, One::new, field(One::name, StringUtf8Coder.of()));
  }

  public record Four(String name, @Nullable String note, int count, Instant at) {
    static final FieldsCoder<Four> CODER =
        FieldsCoder.of(
            Four.class,
            Four::new,
            field(Four::name, StringUtf8Coder.of()),
            field(Four::note, NullableCoder.of(StringUtf8Coder.of())),
            field(Four::count, VarIntCoder.of()),
            field(Four::at, VarInstantCoder.of()));
  }

  /** Same fields as {@link One}, another type. */
  public record Other(String name) {
    static final FieldsCoder<Other> CODER = FieldsCoder.of(Other.class, Other::new, field(Other::name, StringUtf8Coder.of()));
  }

  record WithMap(Map<String, Integer> counts) {}

  record WithDouble(double value) {}

  @Test
  void aRecordOfOneFieldRoundTrips() throws Exception {
    for (One one : new One[] {new One("alice"), new One(""), new One("ü€𝄞")}) {
      CoderProperties.coderDecodeEncodeEqual(One.CODER, one);
      CoderProperties.coderDeterministic(One.CODER, one, new One(new String(one.name())));
    }
    CoderProperties.coderSerializable(One.CODER);
  }

  @Test
  void aRecordOfFourFieldsRoundTrips() throws Exception {
    Four four = new Four("alice", "first login", 3, new Instant(1_718_000_000_123L));
    Four[] values = {four, new Four("bob", null, -1, new Instant(0)), new Four("", "", Integer.MAX_VALUE, new Instant(-5))};
    for (Four f : values) {
      CoderProperties.coderDecodeEncodeEqual(Four.CODER, f);
      CoderProperties.structuralValueDecodeEncodeEqual(Four.CODER, f);
      CoderProperties.coderConsistentWithEquals(Four.CODER, f, four);
    }
    CoderProperties.coderDeterministic(Four.CODER, four, new Four("alice", "first login", 3, new Instant(1_718_000_000_123L)));
    CoderProperties.coderSerializable(Four.CODER);
    assertThat(Four.CODER.consistentWithEquals()).isTrue();
  }

  @Test
  void theEncodingIsTheFieldsEncodingsOneAfterAnother() throws Exception {
    Four four = new Four("alice", null, 300, new Instant(1_718_000_000_123L));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    StringUtf8Coder.of().encode("alice", expected);
    NullableCoder.of(StringUtf8Coder.of()).encode(null, expected);
    VarIntCoder.of().encode(300, expected);
    VarLongCoder.of().encode(1_718_000_000_123L, expected);
    assertThat(CoderUtils.encodeToByteArray(Four.CODER, four)).isEqualTo(expected.toByteArray());
  }

  @Test
  void coderIsEqualForTheSameTypeAndFieldCodersOnly() {
    assertThat(FieldsCoder.of(One.class, One::new, field(One::name, StringUtf8Coder.of())))
        .isEqualTo(One.CODER)
        .hasSameHashCodeAs(One.CODER);
    assertThat(Other.CODER).as("another type").isNotEqualTo(One.CODER);
    assertThat(FieldsCoder.of(One.class, One::new, field(One::name, NullableCoder.of(StringUtf8Coder.of()))))
        .as("another field coder")
        .isNotEqualTo(One.CODER);
  }

  @Test
  void aNonDeterministicFieldMakesTheCoderNonDeterministic() {
    FieldsCoder<WithMap> map =
        FieldsCoder.of(WithMap.class, WithMap::new, field(WithMap::counts, MapCoder.of(StringUtf8Coder.of(), VarIntCoder.of())));
    assertThatThrownBy(map::verifyDeterministic)
        .isInstanceOf(NonDeterministicException.class)
        .hasMessageContaining("WithMap");
    FieldsCoder<Four> serializable =
        FieldsCoder.of(
            Four.class,
            Four::new,
            field(Four::name, StringUtf8Coder.of()),
            field(Four::note, NullableCoder.of(StringUtf8Coder.of())),
            field(Four::count, VarIntCoder.of()),
            field(Four::at, SerializableCoder.of(Instant.class)));
    assertThatThrownBy(serializable::verifyDeterministic).isInstanceOf(NonDeterministicException.class);
  }

  @Test
  void aNonDeterministicFieldOfANestedCoderIsFoundToo() {
    record Outer(WithDouble inner, boolean flag) {}
    FieldsCoder<WithDouble> inner =
        FieldsCoder.of(WithDouble.class, WithDouble::new, field(WithDouble::value, DoubleCoder.of()));
    FieldsCoder<Outer> outer =
        FieldsCoder.of(Outer.class, Outer::new, field(Outer::inner, inner), field(Outer::flag, BooleanCoder.of()));
    assertThatThrownBy(outer::verifyDeterministic)
        .isInstanceOf(NonDeterministicException.class)
        .hasMessageContaining("Outer");
  }

  @Test
  void aTreeMapIsDeterministicOnlyIfItsKeysAndValuesAre() throws Exception {
    TreeMapCoder<Integer, String> coder = TreeMapCoder.of(VarIntCoder.of(), StringUtf8Coder.of());
    TreeMap<Integer, String> ascending = new TreeMap<>();
    TreeMap<Integer, String> descending = new TreeMap<>();
    for (int i = 0; i < 5; i++) {
      ascending.put(i, "v" + i);
      descending.put(4 - i, "v" + (4 - i));
    }
    CoderProperties.coderDeterministic(coder, ascending, descending);
    CoderProperties.coderDecodeEncodeEqual(coder, ascending);
    CoderProperties.coderDecodeEncodeEqual(coder, new TreeMap<>());
    CoderProperties.coderSerializable(coder);
    assertThat(CoderUtils.encodeToByteArray(coder, new TreeMap<>())).as("size as a varint").hasSize(1);
    assertThatThrownBy(TreeMapCoder.of(VarIntCoder.of(), DoubleCoder.of())::verifyDeterministic)
        .isInstanceOf(NonDeterministicException.class);
  }

  @Test
  void aTreeMapInAnotherOrderIsRefused() {
    TreeMap<Integer, String> reversed = new TreeMap<>(Comparator.reverseOrder());
    reversed.put(1, "a");
    assertThatThrownBy(() -> CoderUtils.encodeToByteArray(TreeMapCoder.of(VarIntCoder.of(), StringUtf8Coder.of()), reversed))
        .isInstanceOf(CoderException.class);
  }

  @Test
  void defaultCoderFindsTheTypesCoder() throws Exception {
    assertThat(CoderRegistry.createDefault().getCoder(One.class)).isSameAs(One.CODER);
  }

  @Test
  void aTypeWithoutCoderIsReported() {
    assertThatThrownBy(() -> FieldsCoder.getCoderProvider().coderFor(TypeDescriptor.of(WithMap.class), List.of()))
        .isInstanceOf(CannotProvideCoderException.class)
        .hasMessageContaining("CODER");
  }
}
