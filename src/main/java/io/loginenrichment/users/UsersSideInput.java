package io.loginenrichment.users;

import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;

/**
 * The users table as a side input, loaded at start and again every {@code refreshInterval}. The
 * ticker is {@link GenerateSequence} with a rate, because {@code PeriodicImpulse} is a splittable
 * DoFn and the SparkRunner cannot run those in streaming mode.
 */
public final class UsersSideInput extends PTransform<PBegin, PCollectionView<Iterable<UsersSnapshot>>> {

  private final Duration refreshInterval;
  private final UsersTable table;

  public UsersSideInput(Duration refreshInterval, UsersTable table) {
    this.refreshInterval = refreshInterval;
    this.table = table;
  }

  @Override
  public PCollectionView<Iterable<UsersSnapshot>> expand(PBegin begin) {
    return begin
        .apply("RefreshTicker", GenerateSequence.from(0).withRate(1, refreshInterval))
        .apply("LoadUsersOnTick", new LoadUsersOnTick(table));
  }
}
