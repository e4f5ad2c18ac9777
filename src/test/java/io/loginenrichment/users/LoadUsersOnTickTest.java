package io.loginenrichment.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.testing.InMemoryUsersTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class LoadUsersOnTickTest {

  /** One TestStream step is one bundle on the DirectRunner, like a catch-up burst on Spark. */
  @Test
  void aBurstOfTicksInOneBundleIsOneRefreshAndStartsTheLoadInThisJvm(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(Map.of("100001", "Prashant"));
    PCollection<Instant> refreshes =
        p.apply(TestStream.create(VarLongCoder.of()).addElements(3L, 1L, 7L, 5L).advanceWatermarkToInfinity())
            .apply(ParDo.of(new LoadUsersOnTick.RequestRefreshFn(table, 1)));

    PAssert.that(refreshes)
        .satisfies(
            all -> {
              List<Instant> list = new ArrayList<>();
              all.forEach(list::add);
              assertThat(list).hasSize(1);
              return null;
            });
    p.run();
    UsersSnapshots snapshots = UsersSnapshots.of(table);
    assertThat(snapshots.request(null).isDone()).isTrue();
    assertThat(snapshots.current().nameOf("100001")).isEqualTo("Prashant");
    assertThat(snapshots.current().version()).isEqualTo(1L);
  }

  /** Fast ticks keep the side input's watermark moving; only every n-th tick asks for a reload. */
  @Test
  void onlyEveryNthTickAsksForARefresh(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(Map.of("100001", "Prashant"));
    PCollection<Instant> refreshes =
        p.apply(
                TestStream.create(VarLongCoder.of())
                    .addElements(0L)
                    .addElements(1L)
                    .addElements(2L)
                    .addElements(3L)
                    .addElements(4L, 5L)
                    .addElements(6L)
                    .advanceWatermarkToInfinity())
            .apply(ParDo.of(new LoadUsersOnTick.RequestRefreshFn(table, 3)));

    PAssert.that(refreshes)
        .satisfies(
            all -> {
              List<Instant> list = new ArrayList<>();
              all.forEach(list::add);
              assertThat(list).hasSize(3);
              return null;
            });
    p.run();
  }
}
