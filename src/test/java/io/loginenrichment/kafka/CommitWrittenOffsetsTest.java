package io.loginenrichment.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.model.SourceOffsets;
import io.loginenrichment.model.SourcePosition;
import io.loginenrichment.testing.PipelineCounters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class CommitWrittenOffsetsTest {
  /** Committed offsets by "topic-partition"; static because the pipeline serializes the committer. */
  static final Map<String, Long> COMMITS = new ConcurrentHashMap<>();

  static final class InMemoryCommitter implements OffsetCommitter {
    @Override
    public long committed(String topic, int partition) {
      return COMMITS.getOrDefault(topic + "-" + partition, 0L);
    }

    @Override
    public void commit(String topic, int partition, long offset) {
      COMMITS.merge(topic + "-" + partition, offset, Math::max);
    }
  }

  private static SourceOffsets p(int partition, long offset) {
    return SourceOffsets.of(new SourcePosition("logins", partition, offset));
  }

  @Test
  void commitsStopAtTheFirstUnwrittenRecordOfEachPartition(TestPipeline pipeline) {
    COMMITS.clear();
    COMMITS.put("logins-1", 5L); // committed by an earlier run
    Instant t = new Instant(0);
    TestStream<SourceOffsets> written =
        TestStream.create(SourceOffsets.CODER)
            .addElements(p(0, 1), p(0, 0), p(0, 3)) // 2 not written yet
            .addElements(p(1, 3), p(1, 5), p(1, 6)) // 3 is below the commit: re-read, ignored
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(1))
            .addElements(p(0, 4), p(1, 8)) // still a gap at 0@2 and 1@7
            .advanceWatermarkToInfinity();
    pipeline.apply(written).apply(new CommitWrittenOffsets("logins", new InMemoryCommitter()));
    pipeline.run().waitUntilFinish();
    assertThat(COMMITS).containsEntry("logins-0", 2L).containsEntry("logins-1", 7L);
  }

  @Test
  void aClosedGapReleasesEverythingWrittenAfterIt(TestPipeline pipeline) {
    COMMITS.clear();
    TestStream<SourceOffsets> written =
        TestStream.create(SourceOffsets.CODER)
            .addElements(p(0, 0), p(0, 2), p(0, 3), p(0, 4))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(1))
            .addElements(p(0, 1))
            .advanceWatermarkToInfinity();
    pipeline.apply(written).apply(new CommitWrittenOffsets("logins", new InMemoryCommitter()));
    pipeline.run().waitUntilFinish();
    assertThat(COMMITS).containsEntry("logins-0", 5L);
  }

  @Test
  void emitsAPartitionsNewCommittedOffsetOnlyWhenItMoves(TestPipeline pipeline) {
    COMMITS.clear();
    TestStream<SourceOffsets> written =
        TestStream.create(SourceOffsets.CODER)
            .addElements(p(0, 0), p(0, 1), p(2, 0))
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(1))
            .addElements(p(0, 3)) // behind a gap: nothing moves
            .advanceProcessingTime(org.joda.time.Duration.standardSeconds(1))
            .addElements(p(0, 2))
            .advanceWatermarkToInfinity();
    PCollection<KV<Integer, Long>> commits =
        pipeline.apply(written).apply(new CommitWrittenOffsets("logins", new InMemoryCommitter()));

    PAssert.that(commits).containsInAnyOrder(KV.of(0, 2L), KV.of(2, 1L), KV.of(0, 4L));
    PipelineResult result = pipeline.run();
    assertThat(PipelineCounters.counter(result, "offsets_committed")).as("records committed").isEqualTo(5);
  }
}
