package io.loginenrichment.util;

/** Credentials given as options win over those in the environment, which keeps them off command lines. */
public final class Credentials {
  private Credentials() {}

  /** The first of the two that is neither null nor empty, else null. */
  public static String firstGiven(String option, String environment) {
    if (option != null && !option.isEmpty()) {
      return option;
    }
    return environment != null && !environment.isEmpty() ? environment : null;
  }
}
