package io.loginenrichment.coders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class EnumNameCoderTest {
  private final EnumNameCoder<TimeUnit> coder = EnumNameCoder.of(TimeUnit.class);

  @Test
  void everyConstantRoundTripsByItsName() throws Exception {
    for (TimeUnit unit : TimeUnit.values()) {
      CoderProperties.coderDecodeEncodeEqual(coder, unit);
      CoderProperties.coderDeterministic(coder, unit, TimeUnit.valueOf(unit.name()));
      assertThat(CoderUtils.encodeToByteArray(coder, unit)).isEqualTo(name(unit.name()));
    }
    CoderProperties.coderSerializable(coder);
    assertThat(coder).isEqualTo(EnumNameCoder.of(TimeUnit.class)).isNotEqualTo(EnumNameCoder.of(Thread.State.class));
  }

  @Test
  void anUnknownNameIsACoderError() throws Exception {
    assertThatThrownBy(() -> CoderUtils.decodeFromByteArray(coder, name("FORTNIGHTS")))
        .isInstanceOf(CoderException.class)
        .hasMessageContaining("FORTNIGHTS");
  }

  /** A name as a nested string: its length, then its UTF-8 bytes. */
  private static byte[] name(String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringUtf8Coder.of().encode(name, out);
    return out.toByteArray();
  }
}
