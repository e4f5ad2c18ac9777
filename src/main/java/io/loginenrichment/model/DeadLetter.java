package io.loginenrichment.model;

import java.io.Serializable;
import static io.loginenrichment.coders.FieldsCoder.field;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loginenrichment.coders.EnumNameCoder;
import io.loginenrichment.coders.FieldsCoder;
import io.loginenrichment.util.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A record that did not become a row, with everything needed to understand and replay it: the
 * reason, the error, where it was read, and the payload (UTF-8 text, or base64 when the bytes are
 * not UTF-8), cut to a bounded size so one huge record cannot break the dead-letter topic.
 */
@DefaultCoder(FieldsCoder.class)
public record DeadLetter(
    Reason reason,
    String message,
    SourcePosition source,
    @Nullable String payload,
    String payloadEncoding,
    int payloadBytes,
    boolean payloadTruncated,
    byte @Nullable [] key)
    implements Serializable { // values can ride in a serialized function (PAssert, tests), not only in a coder
  public static final FieldsCoder<DeadLetter> CODER =
      FieldsCoder.of(
          DeadLetter.class,
          DeadLetter::new,
          field(DeadLetter::reason, EnumNameCoder.of(Reason.class)),
          field(DeadLetter::message, StringUtf8Coder.of()),
          field(DeadLetter::source, SourcePosition.CODER),
          field(DeadLetter::payload, NullableCoder.of(StringUtf8Coder.of())),
          field(DeadLetter::payloadEncoding, StringUtf8Coder.of()),
          field(DeadLetter::payloadBytes, VarIntCoder.of()),
          field(DeadLetter::payloadTruncated, BooleanCoder.of()),
          field(DeadLetter::key, NullableCoder.of(ByteArrayCoder.of())));

  /** Big enough for any real login event, small enough to stay far below Kafka's 1 MB limit. */
  public static final int MAX_PAYLOAD_BYTES = 16 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  public static DeadLetter of(
      Reason reason, String message, SourcePosition source, byte @Nullable [] key, byte @Nullable [] value) {
    if (value == null) {
      return new DeadLetter(reason, message, source, null, "none", 0, false, key);
    }
    boolean truncated = value.length > MAX_PAYLOAD_BYTES;
    byte[] kept = truncated ? Arrays.copyOf(value, MAX_PAYLOAD_BYTES) : value;
    String text = Utf8.decodeStrict(kept);
    // A cut can split a multi-byte character; fall back to base64 rather than guess.
    return text != null
        ? new DeadLetter(reason, message, source, text, "utf8", value.length, truncated, key)
        : new DeadLetter(
            reason,
            message,
            source,
            Base64.getEncoder().encodeToString(kept),
            "base64",
            value.length,
            truncated,
            key);
  }

  public static DeadLetter of(Reason reason, String message, SourcePosition source, String value) {
    return of(reason, message, source, null, value.getBytes(StandardCharsets.UTF_8));
  }

  /** One JSON object per dead letter, as written to the dead-letter topic. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("reason", reason.code());
    node.put("error", message);
    node.put("topic", source.topic());
    node.put("partition", source.partition());
    node.put("offset", source.offset());
    node.put("payload", payload);
    node.put("payload_encoding", payloadEncoding);
    node.put("payload_bytes", payloadBytes);
    node.put("payload_truncated", payloadTruncated);
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a dead letter", e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DeadLetter d
        && reason == d.reason
        && message.equals(d.message)
        && source.equals(d.source)
        && Objects.equals(payload, d.payload)
        && payloadEncoding.equals(d.payloadEncoding)
        && payloadBytes == d.payloadBytes
        && payloadTruncated == d.payloadTruncated
        && Arrays.equals(key, d.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, message, source, payload, payloadBytes, Arrays.hashCode(key));
  }
}
