package io.loginenrichment.transforms;

import io.loginenrichment.model.DeadLetter;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;

/**
 * A step's values and the dead letters it (or a step before it) produced, in one PCollection.
 *
 * <p>Why not a second output: the SparkRunner encodes and caches every element of a multi-output
 * ParDo (BEAM-2669), so a parse step and a join step with their own dead-letter outputs each cost a
 * full serialized copy of the stream; profiled, that was the largest share of a 1,000,000-event
 * drain. With one output per step, parse, windowing, join and the per-bundle reduction run as one
 * fused pass, and the dead letters leave the lane only in {@link LatestLoginPerUser}, once the
 * stream is reduced.
 */
final class DeadLetterLane {
  static final int VALUE = 0;
  static final int DEAD_LETTER = 1;

  private DeadLetterLane() {}

  static UnionCoder coder(Coder<?> valueCoder) {
    return UnionCoder.of(List.of(valueCoder, DeadLetter.CODER));
  }

  static RawUnionValue value(Object value) {
    return new RawUnionValue(VALUE, value);
  }

  static RawUnionValue deadLetter(DeadLetter deadLetter) {
    return new RawUnionValue(DEAD_LETTER, deadLetter);
  }

  static boolean isDeadLetter(RawUnionValue element) {
    return element.getUnionTag() == DEAD_LETTER;
  }
}
