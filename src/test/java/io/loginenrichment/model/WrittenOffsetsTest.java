package io.loginenrichment.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class WrittenOffsetsTest {

  @Test
  void theCommitMovesOnlyAcrossWrittenOffsets() {
    WrittenOffsets w = WrittenOffsets.of(10, 11, 13);
    assertThat(w.advance(10)).as("12 is not written yet").isEqualTo(12);
    assertThat(w.advance(12)).isEqualTo(12);
    w.add(12, 13);
    assertThat(w.advance(12)).isEqualTo(14);
    assertThat(w.isEmpty()).isTrue();
  }

  @Test
  void offsetsBelowTheCommitAreForgottenAndNothingMovesBeforeTheFirstGapCloses() {
    WrittenOffsets w = WrittenOffsets.of(3, 4, 5, 20, 21);
    assertThat(w.advance(7)).as("re-read records below the commit change nothing").isEqualTo(7);
    assertThat(w.rangeCount()).isEqualTo(1);
    w.add(7, 20);
    assertThat(w.advance(7)).isEqualTo(22);
  }

  @Test
  void randomRangesHoldExactlyTheOffsetsAdded() {
    Random random = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      WrittenOffsets w = new WrittenOffsets();
      java.util.BitSet expected = new java.util.BitSet();
      for (int i = 0; i < 30; i++) {
        // Mostly in order, like a partition read, with some ranges behind and overlapping.
        int start = random.nextInt(4) == 0 ? random.nextInt(200) : expected.length() + random.nextInt(3);
        int end = start + random.nextInt(8);
        w.add(start, end);
        expected.set(start, end);
      }
      StringBuilder model = new StringBuilder("{");
      for (int from = expected.nextSetBit(0); from >= 0; from = expected.nextSetBit(expected.nextClearBit(from))) {
        model.append(model.length() > 1 ? ", " : "").append(from).append('=').append(expected.nextClearBit(from));
      }
      assertThat(w.toString()).as("trial %d", trial).isEqualTo(model.append('}').toString());
      assertThat(w.offsetCount()).isEqualTo(expected.cardinality());
    }
  }

  @Test
  void touchingAndOverlappingRangesMerge() {
    WrittenOffsets w = new WrittenOffsets();
    w.add(0, 5);
    w.add(10, 15);
    w.add(5, 10);
    assertThat(w.rangeCount()).isEqualTo(1);
    w.add(2, 30);
    w.add(40, 41);
    assertThat(w.toString()).isEqualTo("{0=30, 40=41}");
  }

  @Test
  void scatteredOffsetsEncodeInAFewBytesEach() throws Exception {
    WrittenOffsets w = new WrittenOffsets();
    for (long o = 1_000_000_000L; o < 1_000_000_000L + 1_000; o += 3) {
      w.add(o, o + 1);
    }
    byte[] bytes = CoderUtils.encodeToByteArray(WrittenOffsets.CODER, w);
    assertThat(bytes.length).isLessThan(334 * 2 + 10);
    assertThat(CoderUtils.decodeFromByteArray(WrittenOffsets.CODER, bytes).toString()).isEqualTo(w.toString());
  }

  @Test
  void inAnyOrderTheCommitEndsAtTheFirstMissingOffset() throws Exception {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      List<Long> offsets = new ArrayList<>();
      for (long o = 100; o < 400; o++) {
        offsets.add(o);
      }
      long missing = 100 + random.nextInt(300);
      offsets.remove(missing);
      Collections.shuffle(offsets, random);
      WrittenOffsets w = new WrittenOffsets();
      long committed = 100;
      for (long o : offsets) {
        w.add(o, o + 1);
        if (random.nextInt(10) == 0) {
          w = CoderUtils.clone(WrittenOffsets.CODER, w);
        }
        long next = w.advance(committed);
        assertThat(next).isGreaterThanOrEqualTo(committed).isLessThanOrEqualTo(missing);
        committed = next;
      }
      assertThat(committed).isEqualTo(missing);
    }
  }
}
