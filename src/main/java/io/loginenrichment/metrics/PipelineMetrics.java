package io.loginenrichment.metrics;

import io.loginenrichment.model.Reason;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The counters that account for every record: {@code events_in = events_valid + parse dead
 * letters}; {@code events_valid = logins_known + unknown_user}; {@code logins_known =
 * rows_emitted + merged}. One namespace so a dashboard finds them together.
 */
public final class PipelineMetrics {
  public static final String NAMESPACE = "login-enrichment";

  public static final Counter EVENTS_IN = Metrics.counter(NAMESPACE, "events_in");
  public static final Counter EVENTS_VALID = Metrics.counter(NAMESPACE, "events_valid");
  public static final Counter LOGINS_KNOWN = Metrics.counter(NAMESPACE, "logins_known");
  public static final Counter USER_LOOKUPS = Metrics.counter(NAMESPACE, "user_point_lookups");
  public static final Counter ROWS_EMITTED = Metrics.counter(NAMESPACE, "rows_emitted");
  public static final Counter DEAD_LETTERS = Metrics.counter(NAMESPACE, "dead_letters");

  private PipelineMetrics() {}

  public static Counter deadLetters(Reason reason) {
    return Metrics.counter(NAMESPACE, "dead_letters_" + reason.code());
  }
}
