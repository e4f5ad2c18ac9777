package io.loginenrichment.kafka;

import io.loginenrichment.model.RawLoginRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecord;

final class KafkaRecords {
  private KafkaRecords() {}

  static RawLoginRecord toRaw(KafkaRecord<byte[], byte[]> record) {
    return RawLoginRecord.of(
        record.getTopic(),
        record.getPartition(),
        record.getOffset(),
        record.getKV().getKey(),
        record.getKV().getValue());
  }
}
