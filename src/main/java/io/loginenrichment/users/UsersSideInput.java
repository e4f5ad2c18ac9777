package io.loginenrichment.users;

import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The users table's refreshes as a side input: one at start and one every {@code refreshInterval};
 * the table itself is held per JVM by {@link UsersSnapshots}. The
 * ticker is {@link GenerateSequence} with a rate, because {@code PeriodicImpulse} is a splittable
 * DoFn and the SparkRunner cannot run those in streaming mode.
 */
public final class UsersSideInput extends PTransform<PBegin, PCollectionView<Iterable<Instant>>> {

  private final Duration refreshInterval;
  private final UsersTable table;

  public UsersSideInput(Duration refreshInterval, UsersTable table) {
    this.refreshInterval = refreshInterval;
    this.table = table;
  }

  /**
   * The ticker runs every second even when the refresh is rarer: the side input's watermark is
   * that of its ticker, and runners hold the main stream's windows back to it (a ticker at the
   * refresh interval delayed every window by up to that interval).
   */
  static final Duration TICK = Duration.standardSeconds(1);

  @Override
  public PCollectionView<Iterable<Instant>> expand(PBegin begin) {
    Duration tick = refreshInterval.isShorterThan(TICK) ? refreshInterval : TICK;
    long ticksPerLoad = Math.max(1, refreshInterval.getMillis() / tick.getMillis());
    return begin
        .apply("RefreshTicker", GenerateSequence.from(0).withRate(1, tick))
        .apply("LoadUsersOnTick", new LoadUsersOnTick(table, ticksPerLoad));
  }
}
