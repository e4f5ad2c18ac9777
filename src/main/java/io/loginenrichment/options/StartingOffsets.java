package io.loginenrichment.options;

/** Where a new consumer group starts. */
public enum StartingOffsets {
  EARLIEST,
  LATEST
}
