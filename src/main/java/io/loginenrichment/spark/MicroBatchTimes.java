package io.loginenrichment.spark;

import java.time.Instant;
import java.util.Arrays;
import org.apache.spark.streaming.api.java.JavaBatchInfo;
import org.apache.spark.streaming.api.java.JavaStreamingListener;
import org.apache.spark.streaming.api.java.JavaStreamingListenerBatchCompleted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how long the driver's micro-batches take: a warning for each batch that took more than two
 * batch intervals to process (the stream then falls behind), and once a minute a summary line.
 * Spark's UI shows the same per batch, but nobody watches it; a log line can be alerted on.
 */
public final class MicroBatchTimes extends JavaStreamingListener {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchTimes.class);
  private static final long SUMMARY_EVERY_MILLIS = 60_000;

  private final long intervalMillis;
  private long[] processing = new long[64];
  private int batches;
  private int slow;
  private long maxTotalDelay;
  private long records;
  private long summaryDue;
  private long lastEnd;

  public MicroBatchTimes(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  @Override
  public synchronized void onBatchCompleted(JavaStreamingListenerBatchCompleted completed) {
    JavaBatchInfo b = completed.batchInfo();
    long took = b.processingDelay();
    if (took > 2 * intervalMillis) {
      slow++;
      LOG.warn(
          "Micro-batch of {} ended {} took {} ms to process, more than 2 batch intervals ({} ms): {} records,"
              + " {} ms behind schedule",
          Instant.ofEpochMilli(b.batchTime().milliseconds()), Instant.ofEpochMilli(b.processingEndTime()), took,
          2 * intervalMillis, b.numRecords(), b.schedulingDelay());
    }
    if (batches == processing.length) {
      processing = Arrays.copyOf(processing, batches * 2);
    }
    processing[batches++] = took;
    maxTotalDelay = Math.max(maxTotalDelay, b.totalDelay());
    records += b.numRecords();
    lastEnd = b.processingEndTime();
    long now = System.currentTimeMillis();
    if (summaryDue == 0) {
      summaryDue = now + SUMMARY_EVERY_MILLIS;
    } else if (now >= summaryDue) {
      summarize();
      summaryDue = now + SUMMARY_EVERY_MILLIS;
    }
  }

  private void summarize() {
    long[] sorted = Arrays.copyOf(processing, batches);
    Arrays.sort(sorted);
    LOG.info(
        "Micro-batches in the minute to {}: {} batches, {} records; processing p50 {} ms, max {} ms;"
            + " over 2 intervals: {}; total delay max {} ms",
        Instant.ofEpochMilli(lastEnd), batches, records, sorted[batches / 2], sorted[batches - 1], slow, maxTotalDelay);
    batches = 0;
    slow = 0;
    maxTotalDelay = 0;
    records = 0;
  }
}
