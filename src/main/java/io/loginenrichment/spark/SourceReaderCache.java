package io.loginenrichment.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.beam.runners.spark.io.MicrobatchSource;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.io.UnboundedSource.CheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.Cache;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.CacheBuilder;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.ForwardingCache;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.RemovalNotification;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SparkRunner's per-JVM cache of open source readers, replaced so that a Kafka reader stays
 * open however long a micro-batch takes, and is only ever continued from the checkpoint Spark
 * hands it.
 *
 * <p>Why: Beam's {@code MicrobatchSource} closes a cached reader 1.5 batch intervals after its last
 * use (3 s at our 2 s batches). Under a backlog on two cores a batch takes longer than that, so
 * every batch closed its readers and opened new Kafka consumers, which spent the batch's short read
 * window (10% of the interval) connecting and seeking: on the standalone cluster a 60,000-event
 * backlog took 215 s, most batches reading 0 to a few hundred records. Beam also returns a cached
 * reader without checking where it stands, so a task retried on the same JVM, or a split that
 * comes back to an executor it left, would continue from the reader's position instead of the
 * checkpoint: skipped or repeated records. This cache keeps readers for {@link #EXPIRY} and drops
 * a cached reader whose position is not the checkpoint being resumed, opening a fresh one there.
 */
public final class SourceReaderCache {
  private static final Logger LOG = LoggerFactory.getLogger(SourceReaderCache.class);

  /** Long enough for any batch; a reader of a split that moved away is closed after this. */
  public static final Duration EXPIRY = Duration.ofMinutes(10);

  private static final AtomicLong REOPENED = new AtomicLong();

  private SourceReaderCache() {}

  /**
   * Installs the cache in this JVM, before its first source read (the executor plugin does that
   * on every executor). Idempotent; if Beam's own cache already exists it is left alone, with a
   * warning, rather than orphaning the readers it holds.
   */
  public static synchronized void install() {
    try {
      Field field = MicrobatchSource.class.getDeclaredField("readerCache");
      field.setAccessible(true);
      Object current = field.get(null);
      if (current instanceof ResumeCheckingCache) {
        return;
      }
      if (current != null) {
        LOG.warn("Spark source readers were already cached by Beam; readers close after 1.5 batch intervals idle");
        return;
      }
      Cache<MicrobatchSource<?, ?>, Source.Reader<?>> readers =
          CacheBuilder.newBuilder()
              .expireAfterAccess(EXPIRY)
              .removalListener(SourceReaderCache::close)
              .build();
      field.set(null, new ResumeCheckingCache(readers));
      LOG.info("Spark source readers stay open for up to {} idle, resumed only at their checkpoint", EXPIRY);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot replace the SparkRunner's source reader cache ({}); readers close after 1.5 batch intervals idle", e.toString());
    }
  }

  /** Readers reopened at their checkpoint because the cached one stood elsewhere (this JVM). */
  public static long reopened() {
    return REOPENED.get();
  }

  private static void close(RemovalNotification<MicrobatchSource<?, ?>, Source.Reader<?>> removed) {
    Source.Reader<?> reader = removed.getValue();
    if (reader == null) {
      return;
    }
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing a source reader failed: {}", e.toString());
    }
  }

  /**
   * Whether a reader now at {@code current} continues exactly from {@code requested}. Kafka
   * marks are compared by partition offsets only (their watermark follows the wall clock); other
   * marks by their encoding. No requested mark means a fresh start, which no open reader is.
   */
  static <M extends CheckpointMark> boolean resumesAt(
      @Nullable CheckpointMark current, @Nullable CheckpointMark requested, Coder<M> coder) {
    if (current == null || requested == null) {
      return false;
    }
    if (current instanceof KafkaCheckpointMark now && requested instanceof KafkaCheckpointMark wanted) {
      return offsets(now).equals(offsets(wanted));
    }
    try {
      @SuppressWarnings("unchecked")
      M a = (M) current;
      @SuppressWarnings("unchecked")
      M b = (M) requested;
      return Arrays.equals(encode(coder, a), encode(coder, b));
    } catch (IOException | ClassCastException e) {
      return false;
    }
  }

  private static Map<String, Long> offsets(KafkaCheckpointMark mark) {
    return mark.getPartitions().stream()
        .collect(Collectors.toMap(p -> p.getTopic() + "-" + p.getPartition(), p -> p.getNextOffset()));
  }

  private static <M> byte[] encode(Coder<M> coder, M mark) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    coder.encode(mark, bytes);
    return bytes.toByteArray();
  }

  /** Beam's cache, checking on each lookup that a cached reader stands where the task resumes. */
  static final class ResumeCheckingCache extends ForwardingCache<MicrobatchSource<?, ?>, Source.Reader<?>> {
    private final Cache<MicrobatchSource<?, ?>, Source.Reader<?>> readers;

    ResumeCheckingCache(Cache<MicrobatchSource<?, ?>, Source.Reader<?>> readers) {
      this.readers = readers;
    }

    @Override
    protected Cache<MicrobatchSource<?, ?>, Source.Reader<?>> delegate() {
      return readers;
    }

    @Override
    public Source.Reader<?> get(MicrobatchSource<?, ?> split, Callable<? extends Source.Reader<?>> loader)
        throws ExecutionException {
      Source.Reader<?> cached = readers.getIfPresent(split);
      if (cached instanceof MicrobatchSource<?, ?>.Reader reader) {
        CheckpointMark requested = LoaderMark.of(loader);
        if (!resumesAt(reader.getCheckpointMark(), requested, split.getCheckpointMarkCoder())) {
          readers.invalidate(split);
          long n = REOPENED.incrementAndGet();
          LOG.info("source split {}: cached reader was not at the checkpoint being resumed; reopened there ({} so far)", split.getId(), n);
        }
      }
      return readers.get(split, loader);
    }
  }

  /** The checkpoint a {@code MicrobatchSource} reader loader would open its reader at. */
  static final class LoaderMark {
    private static volatile @Nullable Field field;

    static @Nullable CheckpointMark of(Callable<?> loader) {
      try {
        Field f = field;
        if (f == null) {
          f = loader.getClass().getDeclaredField("checkpointMark");
          f.setAccessible(true);
          field = f;
        }
        return (CheckpointMark) f.get(loader);
      } catch (ReflectiveOperationException | ClassCastException e) {
        // Unknown Beam internals: never trust a cached reader, as if the cache were off.
        LOG.warn("cannot read the checkpoint of {}: {}", loader.getClass(), e.toString());
        return null;
      }
    }
  }
}
