package io.loginenrichment.model;

import static io.loginenrichment.coders.FieldsCoder.field;

import io.loginenrichment.coders.FieldsCoder;
import io.loginenrichment.coders.VarInstantCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/**
 * A valid login: who, when (event time, from {@code created_time}), and the record it came from.
 * The raw value is kept so that a login of an unknown user is dead-lettered as it was sent.
 */
@DefaultCoder(FieldsCoder.class)
public record LoginEvent(String loginId, Instant createdTime, SourcePosition source, String rawValue) {
  public static final FieldsCoder<LoginEvent> CODER =
      FieldsCoder.of(
          LoginEvent.class,
          LoginEvent::new,
          field(LoginEvent::loginId, StringUtf8Coder.of()),
          field(LoginEvent::createdTime, VarInstantCoder.of()),
          field(LoginEvent::source, SourcePosition.CODER),
          field(LoginEvent::rawValue, StringUtf8Coder.of()));
}
