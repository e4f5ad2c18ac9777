package io.loginenrichment.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.testing.PipelineCounters;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-window balance of logins into and out of the grouping step. */
@ExtendWith(TestPipelineExtension.class)
class AuditGroupingTest {
  static final long W1 = Instant.parse("2020-09-20T10:00:29.999Z").getMillis();
  static final long W2 = Instant.parse("2020-09-20T10:00:59.999Z").getMillis();

  /** Positive counts entered, negative ones left (one stream: a pipeline has one TestStream). */
  static PCollection<KV<Long, Long>> audit(TestPipeline p, TestStream<KV<Long, Long>> counts) {
    PCollection<KV<Long, Long>> all = p.apply(counts);
    PCollection<KV<Long, Long>> entered = all.apply("Entered", Filter.by((KV<Long, Long> kv) -> kv.getValue() > 0));
    PCollection<KV<Long, Long>> left =
        all.apply("LeftOnly", Filter.by((KV<Long, Long> kv) -> kv.getValue() < 0))
            .apply(
                "Left",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.longs(), TypeDescriptors.longs()))
                    .via((KV<Long, Long> kv) -> KV.of(kv.getKey(), -kv.getValue())));
    return AuditGrouping.of(entered, left, Duration.standardSeconds(30));
  }

  static TestStream.Builder<KV<Long, Long>> counts() {
    return TestStream.create(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));
  }

  @Test
  void balancedWindowsReportNothing(TestPipeline p) {
    TestStream<KV<Long, Long>> stream =
        counts()
            .addElements(KV.of(W1, 5L), KV.of(W2, 2L))
            .addElements(KV.of(W1, -3L), KV.of(W1, -2L), KV.of(W2, -2L))
            .advanceProcessingTime(Duration.standardMinutes(1))
            .advanceWatermarkToInfinity();
    PAssert.that(audit(p, stream)).empty();
    PipelineResult result = p.run();
    assertThat(PipelineCounters.counter(result, "logins_lost_in_grouping")).isZero();
  }

  @Test
  void loginsThatNeverLeaveAreReportedPerWindow(TestPipeline p) {
    TestStream<KV<Long, Long>> stream =
        counts()
            .addElements(KV.of(W1, 5L), KV.of(W2, 4L))
            .addElements(KV.of(W1, -3L), KV.of(W2, -4L))
            .advanceProcessingTime(Duration.standardMinutes(1))
            .advanceWatermarkToInfinity();
    PAssert.that(audit(p, stream)).containsInAnyOrder(KV.of(W1, 2L));
    PipelineResult result = p.run();
    assertThat(PipelineCounters.counter(result, "logins_lost_in_grouping")).isEqualTo(2);
  }

  @Test
  void loginsLeavingAfterTheCheckTakeTheCounterBackDown(TestPipeline p) {
    TestStream<KV<Long, Long>> stream =
        counts()
            .addElements(KV.of(W1, 5L))
            .addElements(KV.of(W1, -3L))
            .advanceProcessingTime(Duration.standardMinutes(1))
            .addElements(KV.of(W1, -2L))
            .advanceProcessingTime(Duration.standardMinutes(1))
            .advanceWatermarkToInfinity();
    PAssert.that(audit(p, stream)).containsInAnyOrder(KV.of(W1, 2L), KV.of(W1, -2L));
    PipelineResult result = p.run();
    assertThat(PipelineCounters.counter(result, "logins_lost_in_grouping")).isZero();
  }
}
