package io.loginenrichment.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Record keys for JSON-lines input: the login_id when the line has one. */
final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  static @Nullable String loginIdOrNull(String line) {
    try {
      JsonNode id = JSON.readTree(line).get("login_id");
      return id != null && id.isTextual() ? id.textValue() : null;
    } catch (Exception e) {
      return null;
    }
  }
}
