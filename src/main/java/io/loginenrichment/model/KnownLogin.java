package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A login of a known user and the partition and offset it was read at. Kept flat on purpose:
 * windows buffer these until they fire, and the SparkRunner decodes and re-encodes that buffer
 * every micro-batch.
 */
@DefaultCoder(FieldsCoder.class)
public record KnownLogin(LastLogin row, int partition, long offset) {
  public static final FieldsCoder<KnownLogin> CODER =
      FieldsCoder.of(
          KnownLogin.class,
          KnownLogin::new,
          field(KnownLogin::row, LastLogin.CODER),
          field(KnownLogin::partition, VarIntCoder.of()),
          field(KnownLogin::offset, VarLongCoder.of()));
}
