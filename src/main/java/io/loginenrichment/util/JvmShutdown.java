package io.loginenrichment.util;

/** Whether this JVM is shutting down: a failure then is the stop's doing, not worth a warning. */
public final class JvmShutdown {
  private JvmShutdown() {}

  public static boolean inProgress() {
    Thread probe = new Thread(() -> {});
    try {
      // The JDK refuses new shutdown hooks once shutdown has begun, and says so in no other way.
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shuttingDown) {
      return true;
    }
  }
}
