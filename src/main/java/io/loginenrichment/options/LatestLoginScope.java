package io.loginenrichment.options;

/** Over what {@code LatestLoginPerUser} keeps only the newest login of a user before writing. */
public enum LatestLoginScope {
  /**
   * Per user and window, after a grouping step: one write per user per window. On the classic
   * SparkRunner the grouping is a shuffle plus state re-encoded every micro-batch.
   */
  WINDOW,
  /**
   * Per user and window within each bundle, written without a grouping step: a user read by two
   * bundles of a window is written twice. The upsert is order-proof (write timestamp = login
   * time), so the table ends the same; nothing is ever held back or dropped as late.
   */
  BUNDLE
}
