package io.loginenrichment.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

public interface DeadLetterOptions extends PipelineOptions {
  @Description("Kafka topic receiving one JSON record per rejected event, with its reason")
  @Default.String("logins-dlq")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description("Events larger than this many bytes are dead letters (too_large)")
  @Default.Integer(65536)
  int getMaxEventBytes();

  void setMaxEventBytes(int value);
}
