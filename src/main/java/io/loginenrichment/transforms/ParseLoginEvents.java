package io.loginenrichment.transforms;

import io.loginenrichment.parse.LoginEventParser;
import io.loginenrichment.metrics.PipelineMetrics;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.RawLoginRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Raw Kafka records in; valid {@link LoginEvent}s and, in the same {@link DeadLetterLane},
 * everything else as a dead letter with its reason, out. Nothing is dropped. Each record is parsed
 * once, here.
 *
 * <p>A valid login's element timestamp becomes its {@code created_time} when that is later than
 * the record's own timestamp (the source's bound, see {@link
 * io.loginenrichment.kafka.ArrivalTimePolicy}); otherwise it keeps the record's timestamp, so it
 * is never behind the watermark and joins a window that is still open. Timestamps only ever move
 * forward, which every runner allows. Dead letters keep the record's timestamp.
 */
public final class ParseLoginEvents
    extends PTransform<PCollection<RawLoginRecord>, PCollection<RawUnionValue>> {

  private final LoginEventParser parser;

  public ParseLoginEvents(LoginEventParser parser) {
    this.parser = parser;
  }

  @Override
  public PCollection<RawUnionValue> expand(PCollection<RawLoginRecord> records) {
    return records
        .apply("Parse", ParDo.of(new ParseFn(parser)))
        .setCoder(DeadLetterLane.coder(LoginEvent.CODER));
  }

  private static final class ParseFn extends DoFn<RawLoginRecord, RawUnionValue> {
    private final LoginEventParser parser;

    ParseFn(LoginEventParser parser) {
      this.parser = parser;
    }

    @ProcessElement
    public void process(
        @Element RawLoginRecord record, @Timestamp Instant timestamp, OutputReceiver<RawUnionValue> out) {
      PipelineMetrics.EVENTS_IN.inc();
      LoginEventParser.Outcome outcome = parser.parse(record);
      if (outcome instanceof LoginEventParser.Valid v) {
        PipelineMetrics.EVENTS_VALID.inc();
        Instant created = v.event().createdTime();
        out.outputWithTimestamp(DeadLetterLane.value(v.event()), created.isAfter(timestamp) ? created : timestamp);
      } else if (outcome instanceof LoginEventParser.Invalid i) {
        out.output(DeadLetterLane.deadLetter(i.deadLetter()));
      }
    }
  }
}
