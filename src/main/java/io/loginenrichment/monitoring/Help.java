package io.loginenrichment.monitoring;

import io.loginenrichment.model.Reason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each exported metric means, by its name without the {@code login_enrichment_} prefix: the
 * help text of the Prometheus endpoint, and the list of names docs/operations.md and the alert
 * rules are checked against.
 */
public final class Help {
  private static final Map<String, String> TEXTS = texts();

  private Help() {}

  private static Map<String, String> texts() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("events_in", "Records read from the logins topic");
    t.put("events_valid", "Records parsed into a login event");
    t.put("logins_known", "Valid logins whose user exists");
    t.put("rows_emitted", "Rows sent to the last_login upsert (the rest were merged into a newer login of the same user)");
    t.put("logins_lost_in_grouping", "Logins that entered the grouping step and never left it (expected 0)");
    t.put("dead_letters", "Records sent to the dead-letter topic, all reasons");
    for (Reason r : Reason.values()) {
      t.put("dead_letters_" + r.code(), "Records dead-lettered as " + r.code());
    }
    t.put("offsets_committed", "Records whose offsets the consumer group committed after their writes");
    t.put("user_point_lookups", "Users looked up one by one because the snapshot did not have them");
    t.put("users_loads", "Users snapshot loads (one per JVM per refresh)");
    t.put("users_load_failures", "Users snapshot loads that failed (the previous snapshot stays)");
    t.put("users_loaded", "Users in the newest snapshot");
    t.put("users_load_millis", "Time to load a users snapshot, milliseconds");
    t.put("users_ticks_coalesced", "Refresh ticks that arrived together and became one reload");
    t.put("users_snapshot_age_seconds", "Seconds since the newest users snapshot was loaded");
    t.put("cassandra_write_retries", "Cassandra writes retried after a transient failure");
    t.put("cassandra_sessions_opened", "Cassandra sessions opened");
    t.put("freshness_seconds", "Seconds from a row's window end to its acknowledged write (0 when written before the window closed)");
    t.put("consumer_lag_records", "Records of the partition not yet committed by the consumer group");
    t.put("consumer_lag_seconds", "Age of the partition's oldest record not yet committed, seconds (0 when none)");
    t.put("consumer_lag_up", "1 if Kafka answered the last lag measurement, else 0");
    return t;
  }

  /** The help text of a metric; a metric without one is still exported. */
  public static String of(String name) {
    String text = TEXTS.get(name);
    if (text != null) {
      return text;
    }
    for (String suffix : new String[] {"_count", "_sum", "_max"}) {
      if (name.endsWith(suffix) && TEXTS.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return TEXTS.get(name.substring(0, name.length() - suffix.length()));
      }
    }
    return name;
  }

  /** Every metric name documented, without the prefix. */
  public static Map<String, String> all() {
    return TEXTS;
  }
}
