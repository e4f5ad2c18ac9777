package io.loginenrichment.coders;

import io.loginenrichment.coders.Constructors.Of1;
import io.loginenrichment.coders.Constructors.Of2;
import io.loginenrichment.coders.Constructors.Of3;
import io.loginenrichment.coders.Constructors.Of4;
import io.loginenrichment.coders.Constructors.Of5;
import io.loginenrichment.coders.Constructors.Of6;
import io.loginenrichment.coders.Constructors.Of7;
import io.loginenrichment.coders.Constructors.Of8;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Encodes a value field after field, each with its own coder, and decodes by handing the decoded
 * fields to a constructor. A type's coder is the list of its fields, so a new field is one line:
 *
 * <pre>{@code
 * public static final FieldsCoder<LastLogin> CODER =
 *     FieldsCoder.of(LastLogin.class, LastLogin::new,
 *         field(LastLogin::loginId, StringUtf8Coder.of()),
 *         field(LastLogin::userName, NullableCoder.of(StringUtf8Coder.of())),
 *         field(LastLogin::lastLogin, VarInstantCoder.of()));
 * }</pre>
 *
 * <p>No tags or names are written: the order of the fields is the format. It is deterministic
 * exactly when every field's coder is, and consistent with equals when every field's coder is and
 * {@code T.equals} compares exactly these fields (as a record's does).
 *
 * <p>Two coders are equal when they encode the same type with equal field coders, so a coder
 * survives Java serialization (to the workers) as an equal one.
 */
public final class FieldsCoder<T> extends CustomCoder<T> {
  private final Class<T> type;
  private final SerializableFunction<Object[], T> constructor;
  private final List<Field<T, ?>> fields;
  private final List<Coder<?>> fieldCoders;

  private FieldsCoder(Class<T> type, SerializableFunction<Object[], T> constructor, List<Field<T, ?>> fields) {
    this.type = type;
    this.constructor = constructor;
    this.fields = fields;
    this.fieldCoders = fields.stream().<Coder<?>>map(f -> f.coder).toList();
  }

  /** A field of {@code T}: how to read it from a value, and how to encode it. */
  public static <T, F> Field<T, F> field(SerializableFunction<T, F> getter, Coder<F> coder) {
    return new Field<>(getter, coder);
  }

  public static final class Field<T, F> implements Serializable {
    private final SerializableFunction<T, F> getter;
    private final Coder<F> coder;

    private Field(SerializableFunction<T, F> getter, Coder<F> coder) {
      this.getter = getter;
      this.coder = coder;
    }

    private void encode(T value, OutputStream out) throws IOException {
      coder.encode(getter.apply(value), out);
    }
  }

  /**
   * The coder of {@code type}: its fields encoded in this order, decoded into {@code make}'s
   * parameters in the same order (one overload per number of fields).
   */
  public static <T, A> FieldsCoder<T> of(Class<T> type, Of1<A, T> make, Field<T, A> a) {
    return new FieldsCoder<>(type, v -> make.make(cast(v[0])), List.of(a));
  }

  public static <T, A, B> FieldsCoder<T> of(Class<T> type, Of2<A, B, T> make, Field<T, A> a, Field<T, B> b) {
    return new FieldsCoder<>(type, v -> make.make(cast(v[0]), cast(v[1])), List.of(a, b));
  }

  public static <T, A, B, C> FieldsCoder<T> of(
      Class<T> type, Of3<A, B, C, T> make, Field<T, A> a, Field<T, B> b, Field<T, C> c) {
    return new FieldsCoder<>(type, v -> make.make(cast(v[0]), cast(v[1]), cast(v[2])), List.of(a, b, c));
  }

  public static <T, A, B, C, D> FieldsCoder<T> of(
      Class<T> type, Of4<A, B, C, D, T> make, Field<T, A> a, Field<T, B> b, Field<T, C> c, Field<T, D> d) {
    return new FieldsCoder<>(
        type, v -> make.make(cast(v[0]), cast(v[1]), cast(v[2]), cast(v[3])), List.of(a, b, c, d));
  }

  public static <T, A, B, C, D, E> FieldsCoder<T> of(
      Class<T> type,
      Of5<A, B, C, D, E, T> make,
      Field<T, A> a, Field<T, B> b, Field<T, C> c, Field<T, D> d, Field<T, E> e) {
    return new FieldsCoder<>(
        type,
        v -> make.make(cast(v[0]), cast(v[1]), cast(v[2]), cast(v[3]), cast(v[4])),
        List.of(a, b, c, d, e));
  }

  public static <T, A, B, C, D, E, F> FieldsCoder<T> of(
      Class<T> type,
      Of6<A, B, C, D, E, F, T> make,
      Field<T, A> a, Field<T, B> b, Field<T, C> c, Field<T, D> d, Field<T, E> e, Field<T, F> f) {
    return new FieldsCoder<>(
        type,
        v -> make.make(cast(v[0]), cast(v[1]), cast(v[2]), cast(v[3]), cast(v[4]), cast(v[5])),
        List.of(a, b, c, d, e, f));
  }

  public static <T, A, B, C, D, E, F, G> FieldsCoder<T> of(
      Class<T> type,
      Of7<A, B, C, D, E, F, G, T> make,
      Field<T, A> a, Field<T, B> b, Field<T, C> c, Field<T, D> d, Field<T, E> e, Field<T, F> f,
      Field<T, G> g) {
    return new FieldsCoder<>(
        type,
        v -> make.make(cast(v[0]), cast(v[1]), cast(v[2]), cast(v[3]), cast(v[4]), cast(v[5]), cast(v[6])),
        List.of(a, b, c, d, e, f, g));
  }

  public static <T, A, B, C, D, E, F, G, H> FieldsCoder<T> of(
      Class<T> type,
      Of8<A, B, C, D, E, F, G, H, T> make,
      Field<T, A> a, Field<T, B> b, Field<T, C> c, Field<T, D> d, Field<T, E> e, Field<T, F> f,
      Field<T, G> g, Field<T, H> h) {
    return new FieldsCoder<>(
        type,
        v -> make.make(
            cast(v[0]), cast(v[1]), cast(v[2]), cast(v[3]), cast(v[4]), cast(v[5]), cast(v[6]), cast(v[7])),
        List.of(a, b, c, d, e, f, g, h));
  }

  /** Safe: value i was decoded by field i's coder, which {@code of} ties to parameter i's type. */
  @SuppressWarnings("unchecked")
  private static <X> X cast(Object value) {
    return (X) value;
  }

  /**
   * How {@code @DefaultCoder(FieldsCoder.class)} on a type finds its coder: the type's {@code
   * public static final FieldsCoder<T> CODER}.
   */
  public static CoderProvider getCoderProvider() {
    return new CoderProvider() {
      @Override
      public <X> Coder<X> coderFor(TypeDescriptor<X> typeDescriptor, List<? extends Coder<?>> componentCoders)
          throws CannotProvideCoderException {
        Class<? super X> raw = typeDescriptor.getRawType();
        Object coder;
        try {
          coder = raw.getField("CODER").get(null);
        } catch (ReflectiveOperationException e) {
          throw new CannotProvideCoderException(raw.getName() + " has no public static CODER", e);
        }
        if (!(coder instanceof FieldsCoder<?> c) || c.type != raw) {
          throw new CannotProvideCoderException(raw.getName() + ".CODER is not a FieldsCoder of " + raw.getName());
        }
        @SuppressWarnings("unchecked")
        Coder<X> typed = (Coder<X>) c;
        return typed;
      }
    };
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    for (Field<T, ?> f : fields) {
      f.encode(value, out);
    }
  }

  @Override
  public T decode(InputStream in) throws IOException {
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = fields.get(i).coder.decode(in);
    }
    return constructor.apply(values);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    Coder.verifyDeterministic(this, type.getSimpleName() + " is encoded field by field", fieldCoders);
  }

  @Override
  public boolean consistentWithEquals() {
    return fieldCoders.stream().allMatch(Coder::consistentWithEquals);
  }

  @Override
  public TypeDescriptor<T> getEncodedTypeDescriptor() {
    return TypeDescriptor.of(type);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FieldsCoder<?> other && type == other.type && fieldCoders.equals(other.fieldCoders);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + fieldCoders.hashCode();
  }

  @Override
  public String toString() {
    return "FieldsCoder<" + type.getSimpleName() + ">" + fieldCoders;
  }
}
