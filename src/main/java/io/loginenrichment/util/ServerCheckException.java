package io.loginenrichment.util;

/**
 * A server the pipeline needs is unreachable, rejects its credentials, or lacks a topic or table.
 * The message says which and what to do; it never contains a secret.
 */
public final class ServerCheckException extends RuntimeException {
  public ServerCheckException(String message) {
    super(message);
  }
}
