package io.loginenrichment.util;

/** Whether this JVM is shutting down: a failure then is the stop's doing, not worth a warning. */
public final class JvmShutdown {
  private JvmShutdown() {}

  /**
   * Runs {@code close} when the JVM exits. Once the JVM is exiting the JDK refuses new hooks: then
   * there is nothing to register (the process ends anyway), and no error, so that a class whose
   * initializer calls this is not broken for good when first used during a stop.
   */
  public static void onExit(String name, Runnable close) {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(close, name));
    } catch (IllegalStateException shuttingDown) {
      // Nothing to close later: the JVM is already exiting.
    }
  }

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
