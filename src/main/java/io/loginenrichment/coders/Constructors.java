package io.loginenrichment.coders;

import java.io.Serializable;

/**
 * Constructors of one to eight fields, typed so that {@link FieldsCoder#of} checks each field's
 * coder against the constructor's parameter at compile time; serializable because the coder, and
 * so its constructor, is shipped to the workers.
 */
public final class Constructors {
  private Constructors() {}

  public interface Of1<A, T> extends Serializable {
    T make(A a);
  }

  public interface Of2<A, B, T> extends Serializable {
    T make(A a, B b);
  }

  public interface Of3<A, B, C, T> extends Serializable {
    T make(A a, B b, C c);
  }

  public interface Of4<A, B, C, D, T> extends Serializable {
    T make(A a, B b, C c, D d);
  }

  public interface Of5<A, B, C, D, E, T> extends Serializable {
    T make(A a, B b, C c, D d, E e);
  }

  public interface Of6<A, B, C, D, E, F, T> extends Serializable {
    T make(A a, B b, C c, D d, E e, F f);
  }

  public interface Of7<A, B, C, D, E, F, G, T> extends Serializable {
    T make(A a, B b, C c, D d, E e, F f, G g);
  }

  public interface Of8<A, B, C, D, E, F, G, H, T> extends Serializable {
    T make(A a, B b, C c, D d, E e, F f, G g, H h);
  }
}
