package io.loginenrichment.options;

/** When the group's offsets move: see {@link CommitWrittenOffsets}. */
public enum CommitOffsets {
  AFTER_WRITE,
  ON_READ
}
