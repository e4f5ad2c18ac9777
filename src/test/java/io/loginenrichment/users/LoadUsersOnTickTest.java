package io.loginenrichment.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.testing.InMemoryUsersTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class LoadUsersOnTickTest {

  /** One TestStream step is one bundle on the DirectRunner, like a catch-up burst on Spark. */
  @Test
  void aBurstOfTicksInOneBundleLoadsTheTableOnce(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(Map.of("100001", "Prashant"));
    PCollection<UsersSnapshot> snapshots =
        p.apply(TestStream.create(VarLongCoder.of()).addElements(3L, 1L, 7L, 5L).advanceWatermarkToInfinity())
            .apply(ParDo.of(new LoadUsersOnTick.LoadFn(table)));

    PAssert.that(snapshots)
        .satisfies(
            all -> {
              List<UsersSnapshot> list = new ArrayList<>();
              all.forEach(list::add);
              assertThat(list).hasSize(1);
              assertThat(list.get(0).version()).isEqualTo(7L);
              assertThat(list.get(0).nameOf("100001")).isEqualTo("Prashant");
              return null;
            });
    p.run();
  }

  /** Fast ticks keep the side input's watermark moving; only every n-th tick scans the table. */
  @Test
  void onlyEveryNthTickLoadsTheTable(TestPipeline p) {
    InMemoryUsersTable table = new InMemoryUsersTable(Map.of("100001", "Prashant"));
    PCollection<UsersSnapshot> snapshots =
        p.apply(
                TestStream.create(VarLongCoder.of())
                    .addElements(0L)
                    .addElements(1L)
                    .addElements(2L)
                    .addElements(3L)
                    .addElements(4L, 5L)
                    .addElements(6L)
                    .advanceWatermarkToInfinity())
            .apply(ParDo.of(new LoadUsersOnTick.LoadFn(table, 3)));

    PAssert.that(snapshots)
        .satisfies(
            all -> {
              List<Long> versions = new ArrayList<>();
              all.forEach(s -> versions.add(s.version()));
              assertThat(versions).containsExactlyInAnyOrder(0L, 3L, 6L);
              return null;
            });
    p.run();
  }
}
