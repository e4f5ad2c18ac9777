package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A row to write and the Kafka records it stands for: the login it holds and every older login
 * of the same user and window merged into it. Once the row is written, all of them are done, and
 * their offsets may be committed.
 */
@DefaultCoder(FieldsCoder.class)
public record SourcedRow(LastLogin row, SourceOffsets sources) {
  public static final FieldsCoder<SourcedRow> CODER =
      FieldsCoder.of(
          SourcedRow.class,
          SourcedRow::new,
          field(SourcedRow::row, LastLogin.CODER),
          field(SourcedRow::sources, SourceOffsets.CODER));
}
