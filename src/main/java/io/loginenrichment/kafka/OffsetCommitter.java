package io.loginenrichment.kafka;

import java.io.Serializable;

/** Where committed offsets live: the consumer group in Kafka, or a map in tests. */
public interface OffsetCommitter extends Serializable {
  /** The committed offset of a partition; where the group starts reading if it has none. */
  long committed(String topic, int partition);

  void commit(String topic, int partition, long offset);
}
