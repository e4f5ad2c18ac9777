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
      "How far behind the newest event of a partition the watermark stays; older events are"
          + " applied in the open window, never dropped")
  @Default.String("10s")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

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
