package io.loginenrichment.util;

import java.util.concurrent.ThreadFactory;

/** Background threads that never keep a JVM alive, named so a thread dump says what they are. */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
