package io.loginenrichment.model;

/** Why a record became a dead letter. The codes are stable: dashboards and alerts key on them. */
public enum Reason {
  /** Null or zero-length value. */
  EMPTY_VALUE("empty_value"),
  /** Larger than the configured maximum event size. */
  TOO_LARGE("too_large"),
  /** Not valid UTF-8. */
  INVALID_ENCODING("invalid_encoding"),
  /** Not parseable JSON (includes duplicate keys and excessive nesting). */
  INVALID_JSON("invalid_json"),
  /** Valid JSON, but not an object. */
  NOT_AN_OBJECT("not_an_object"),
  /** {@code login_id} or {@code created_time} absent or null. */
  MISSING_FIELD("missing_field"),
  /** {@code login_id} is not a non-empty string of allowed characters. */
  INVALID_LOGIN_ID("invalid_login_id"),
  /** {@code created_time} is not a valid time in an accepted format, or before the epoch. */
  BAD_TIMESTAMP("bad_timestamp"),
  /** {@code created_time} lies further ahead of now than the allowed clock skew. */
  FUTURE_TIMESTAMP("future_timestamp"),
  /** No such user in the users table. */
  UNKNOWN_USER("unknown_user");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
