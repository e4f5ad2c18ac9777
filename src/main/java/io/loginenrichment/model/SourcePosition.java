package io.loginenrichment.model;

import java.io.Serializable;
import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Where a record was read: enough to find it again in Kafka. */
@DefaultCoder(FieldsCoder.class)
public record SourcePosition(String topic, int partition, long offset) implements Serializable {
  public static final FieldsCoder<SourcePosition> CODER =
      FieldsCoder.of(
          SourcePosition.class,
          SourcePosition::new,
          field(SourcePosition::topic, StringUtf8Coder.of()),
          field(SourcePosition::partition, VarIntCoder.of()),
          field(SourcePosition::offset, VarLongCoder.of()));

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
