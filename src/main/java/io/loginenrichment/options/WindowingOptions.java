package io.loginenrichment.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

public interface WindowingOptions extends PipelineOptions {
  @Description("Fixed event-time window size: one write per user per window (e.g. 30s, 1m)")
  @Default.String("30s")
  String getWindowSize();

  void setWindowSize(String value);

  @Description(
      "How far behind the wall clock the watermark stays: a login read no later than this after"
          + " its created_time keeps its own window; an older one (a backlog) is applied in the"
          + " window open when it is read, never dropped. Also the clock skew tolerated between"
          + " executors")
  @Default.String("3s")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

  @Description(
      "Allowed lateness of the windows: a second line of defence (nothing is stamped behind the"
          + " watermark); a late login within it is written in a late pane")
  @Default.String("10s")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description(
      "Where the newest login per user is chosen before it is written: WINDOW (one write per"
          + " user per window, after a grouping step) or BUNDLE (per window within each bundle, no"
          + " grouping step: more writes, far less work per micro-batch on the SparkRunner; the"
          + " table ends the same because the upsert is order-proof)")
  @Default.Enum("WINDOW")
  LatestLoginScope getLatestLoginScope();

  void setLatestLoginScope(LatestLoginScope value);

  @Description(
      "How long after a window's end its logins may take to leave the grouping step before the"
          + " difference is reported as logins_lost_in_grouping (with a warning)")
  @Default.String("2m")
  String getGroupingAuditGrace();

  void setGroupingAuditGrace(String value);

  @Description("Time zone of created_time values written without an offset (e.g. UTC, Europe/Paris)")
  @Default.String("UTC")
  String getEventTimeZone();

  void setEventTimeZone(String value);

  @Description(
      "Events further in the future than this are dead letters (future_timestamp): with"
          + " last-write-wins a bogus future time would freeze the row")
  @Default.String("5m")
  String getMaxFutureSkew();

  void setMaxFutureSkew(String value);
}
