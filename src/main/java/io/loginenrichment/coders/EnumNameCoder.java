package io.loginenrichment.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/** An enum constant by its name: unlike its ordinal, the name survives reordering the constants. */
public final class EnumNameCoder<E extends Enum<E>> extends CustomCoder<E> {
  private static final StringUtf8Coder NAME = StringUtf8Coder.of();

  private final Class<E> type;

  private EnumNameCoder(Class<E> type) {
    this.type = type;
  }

  public static <E extends Enum<E>> EnumNameCoder<E> of(Class<E> type) {
    return new EnumNameCoder<>(type);
  }

  @Override
  public void encode(E value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    NAME.encode(value.name(), out);
  }

  @Override
  public E decode(InputStream in) throws IOException {
    String name = NAME.decode(in);
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new CoderException("no " + type.getSimpleName() + " named " + name, e);
    }
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    NAME.verifyDeterministic();
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public TypeDescriptor<E> getEncodedTypeDescriptor() {
    return TypeDescriptor.of(type);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EnumNameCoder<?> other && type == other.type;
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "EnumNameCoder<" + type.getSimpleName() + ">";
  }
}
