package io.loginenrichment.writing;

import io.loginenrichment.model.SourceOffsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * A writing DoFn's writes in flight, each with the source positions it makes durable. Positions
 * are reported only once every write before them is acknowledged; a failed write throws, failing
 * the bundle (which the runner retries) with nothing reported.
 */
public final class AcknowledgedPositions {
  private record Pending(Future<?> ack, SourceOffsets sources, Instant timestamp, BoundedWindow window) {}

  private final int maxInFlight;
  private final Consumer<BoundedWindow> onAcknowledged;
  private List<Pending> pending = new ArrayList<>();

  public AcknowledgedPositions(int maxInFlight) {
    this(maxInFlight, window -> {});
  }

  /** Also calls {@code onAcknowledged} with each acknowledged write's window, on the DoFn's thread. */
  public AcknowledgedPositions(int maxInFlight, Consumer<BoundedWindow> onAcknowledged) {
    this.maxInFlight = maxInFlight;
    this.onAcknowledged = onAcknowledged;
  }

  /**
   * Tracks one write; when {@code maxInFlight} are outstanding, waits for them and reports their
   * positions in the current element's window (where a position travels does not matter).
   */
  public void add(
      Future<?> ack, SourceOffsets sources, Instant timestamp, BoundedWindow window, DoFn.OutputReceiver<SourceOffsets> out)
      throws InterruptedException, ExecutionException {
    pending.add(new Pending(ack, sources, timestamp, window));
    if (pending.size() >= maxInFlight) {
      for (Pending p : awaitAll()) {
        out.output(p.sources());
      }
    }
  }

  /** At the end of a bundle: waits for every write and reports all positions. */
  public <T> void finish(DoFn<T, SourceOffsets>.FinishBundleContext c) throws InterruptedException, ExecutionException {
    for (Pending p : awaitAll()) {
      c.output(p.sources(), p.timestamp(), p.window());
    }
  }

  private List<Pending> awaitAll() throws InterruptedException, ExecutionException {
    List<Pending> done = pending;
    pending = new ArrayList<>();
    for (Pending p : done) {
      p.ack().get();
      onAcknowledged.accept(p.window());
    }
    return done;
  }
}
