package io.loginenrichment.transforms;

import io.loginenrichment.deadletter.DeadLetter;
import io.loginenrichment.model.LoginEvent;
import io.loginenrichment.model.RawLoginRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Raw Kafka records in; {@link #EVENTS} (valid logins, element timestamps unchanged) and {@link
 * #DEAD_LETTERS} (everything else, with its reason) out. Nothing is dropped.
 */
public final class ParseLoginEvents
    extends PTransform<PCollection<RawLoginRecord>, PCollectionTuple> {

  public static final TupleTag<LoginEvent> EVENTS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final LoginEventParser parser;

  public ParseLoginEvents(LoginEventParser parser) {
    this.parser = parser;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawLoginRecord> records) {
    return records.apply(
        "Parse", ParDo.of(new ParseFn(parser)).withOutputTags(EVENTS, TupleTagList.of(DEAD_LETTERS)));
  }

  private static final class ParseFn extends DoFn<RawLoginRecord, LoginEvent> {
    private final LoginEventParser parser;

    ParseFn(LoginEventParser parser) {
      this.parser = parser;
    }

    @ProcessElement
    public void process(@Element RawLoginRecord record, MultiOutputReceiver out) {
      PipelineMetrics.EVENTS_IN.inc();
      LoginEventParser.Outcome outcome = parser.parse(record);
      if (outcome instanceof LoginEventParser.Valid v) {
        PipelineMetrics.EVENTS_VALID.inc();
        out.get(EVENTS).output(v.event());
      } else if (outcome instanceof LoginEventParser.Invalid i) {
        out.get(DEAD_LETTERS).output(i.deadLetter());
      }
    }
  }
}
