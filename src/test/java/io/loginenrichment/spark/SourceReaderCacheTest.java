package io.loginenrichment.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.spark.io.MicrobatchSource;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.UnboundedSource.CheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark.PartitionMark;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cache on the SparkRunner's own read path ({@code MicrobatchSource.getOrCreateReader}). */
class SourceReaderCacheTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  @BeforeAll
  static void install() {
    SourceReaderCache.install();
  }

  /** A split as the SparkRunner makes one: ~50 records per read, Beam's cache interval 100 ms. */
  @SuppressWarnings("unchecked")
  private static MicrobatchSource<Long, CheckpointMark> split(int sourceId) throws Exception {
    Constructor<?> make =
        MicrobatchSource.class.getDeclaredConstructor(
            UnboundedSource.class, Duration.class, int.class, long.class, int.class, int.class, double.class);
    make.setAccessible(true);
    return (MicrobatchSource<Long, CheckpointMark>)
        make.newInstance(CountingSource.unbounded(), Duration.standardSeconds(5), 1, 50L, 0, sourceId, 100.0);
  }

  /** One micro-batch's read: the records, the reader, and the checkpoint it ends at. */
  private record Batch(List<Long> records, Source.Reader<Long> reader, CheckpointMark end) {}

  private static Batch read(MicrobatchSource<Long, CheckpointMark> split, CheckpointMark from) throws Exception {
    Source.Reader<Long> reader = split.getOrCreateReader(OPTIONS, from);
    List<Long> records = new java.util.ArrayList<>();
    for (boolean more = reader.start(); more; more = reader.advance()) {
      records.add(reader.getCurrent());
    }
    return new Batch(records, reader, ((MicrobatchSource<Long, CheckpointMark>.Reader) reader).getCheckpointMark());
  }

  @Test
  void aReaderStaysOpenAcrossBatchesSlowerThanBeamsCacheInterval() throws Exception {
    MicrobatchSource<Long, CheckpointMark> split = split(101);
    Batch first = read(split, null);
    Thread.sleep(400); // four times the interval after which Beam's cache would have closed it
    Batch second = read(split, first.end());
    assertThat(second.reader()).isSameAs(first.reader());
    assertThat(first.records()).startsWith(0L).hasSizeGreaterThanOrEqualTo(50);
    assertThat(second.records()).startsWith(first.records().get(first.records().size() - 1) + 1);
  }

  @Test
  void aCachedReaderAheadOfTheCheckpointIsReopenedThereNotContinued() throws Exception {
    MicrobatchSource<Long, CheckpointMark> split = split(102);
    Batch first = read(split, null);
    Batch second = read(split, first.end());
    long reopenedBefore = SourceReaderCache.reopened();
    // The second batch's task is retried: Spark resumes it from the first batch's checkpoint.
    Batch retried = read(split, first.end());
    assertThat(retried.reader()).isNotSameAs(second.reader());
    // Continued, the open reader would have started after the second batch's records.
    assertThat(retried.records()).startsWith(second.records().get(0));
    assertThat(SourceReaderCache.reopened()).isEqualTo(reopenedBefore + 1);
  }

  @Test
  void aFreshStartNeverContinuesAnOpenReader() throws Exception {
    MicrobatchSource<Long, CheckpointMark> split = split(103);
    Batch first = read(split, null);
    Batch again = read(split, null);
    assertThat(again.reader()).isNotSameAs(first.reader());
    assertThat(again.records()).startsWith(0L);
  }

  @Test
  void kafkaMarksMatchOnOffsetsWhateverTheirWatermarks() {
    Coder<KafkaCheckpointMark> unused = null; // Kafka marks are never encoded to compare
    KafkaCheckpointMark at = mark(new PartitionMark("logins", 0, 10, 1_000), new PartitionMark("logins", 1, 7, 1_000));
    KafkaCheckpointMark sameLater = mark(new PartitionMark("logins", 1, 7, 9_000), new PartitionMark("logins", 0, 10, 9_000));
    KafkaCheckpointMark behind = mark(new PartitionMark("logins", 0, 9, 1_000), new PartitionMark("logins", 1, 7, 1_000));
    assertThat(SourceReaderCache.resumesAt(at, sameLater, unused)).isTrue();
    assertThat(SourceReaderCache.resumesAt(at, behind, unused)).isFalse();
    assertThat(SourceReaderCache.resumesAt(at, null, unused)).isFalse();
  }

  private static KafkaCheckpointMark mark(PartitionMark... partitions) {
    return new KafkaCheckpointMark(List.of(partitions), Optional.empty());
  }
}
