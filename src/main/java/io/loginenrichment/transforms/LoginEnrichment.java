package io.loginenrichment.transforms;

import io.loginenrichment.parse.LoginEventParser;
import io.loginenrichment.metrics.PipelineMetrics;
import io.loginenrichment.model.DeadLetter;
import io.loginenrichment.model.LastLogin;
import io.loginenrichment.model.RawLoginRecord;
import io.loginenrichment.model.SourcedRow;
import io.loginenrichment.options.LatestLoginScope;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import io.loginenrichment.users.UsersTable;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The whole enrichment between the source and the sinks, runner- and server-free so tests drive
 * it with {@code TestStream}: raw records -> {@link ParseLoginEvents} (which sets event time) ->
 * fixed event-time windows -> {@link EnrichWithUsers} -> {@link LatestLoginPerUser}. Out come the
 * rows to upsert and every dead letter (parse failures and unknown users), each counted by reason.
 * Dead letters travel with the logins in a {@link DeadLetterLane} until the stream is reduced.
 *
 * <p>Allowed lateness is a second line of defence only: the source never stamps a record behind
 * its watermark, so nothing should be late; if something is (clocks of executors apart by more
 * than {@code maxOutOfOrderness}), it is applied in a late pane, a harmless upsert.
 */
public final class LoginEnrichment extends PTransform<PCollection<RawLoginRecord>, LoginEnrichment.Result> {

  private final LoginEventParser parser;
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration auditGrace;
  private final PCollectionView<Iterable<Instant>> users;
  private final UsersTable usersTable;
  private final LatestLoginScope latestLoginScope;
  private final Duration usersLoadWait;

  /** What a bundle waits for a users reload unless told otherwise. */
  public static final Duration DEFAULT_USERS_LOAD_WAIT = Duration.standardSeconds(2);

  public LoginEnrichment(
      LoginEventParser parser,
      Duration windowSize,
      Duration allowedLateness,
      Duration auditGrace,
      PCollectionView<Iterable<Instant>> users,
      UsersTable usersTable) {
    this(parser, windowSize, allowedLateness, auditGrace, users, usersTable, LatestLoginScope.WINDOW, DEFAULT_USERS_LOAD_WAIT);
  }

  private LoginEnrichment(
      LoginEventParser parser,
      Duration windowSize,
      Duration allowedLateness,
      Duration auditGrace,
      PCollectionView<Iterable<Instant>> users,
      UsersTable usersTable,
      LatestLoginScope latestLoginScope,
      Duration usersLoadWait) {
    this.latestLoginScope = latestLoginScope;
    this.usersLoadWait = usersLoadWait;
    this.parser = parser;
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.auditGrace = auditGrace;
    this.users = users;
    this.usersTable = usersTable;
  }

  /** The same enrichment with the newest login per user chosen over {@code scope}. */
  public LoginEnrichment withLatestLoginScope(LatestLoginScope scope) {
    return new LoginEnrichment(parser, windowSize, allowedLateness, auditGrace, users, usersTable, scope, usersLoadWait);
  }

  /** The same enrichment, waiting at most {@code wait} for a users reload (see {@link EnrichWithUsers}). */
  public LoginEnrichment withUsersLoadWait(Duration wait) {
    return new LoginEnrichment(parser, windowSize, allowedLateness, auditGrace, users, usersTable, latestLoginScope, wait);
  }

  @Override
  public Result expand(PCollection<RawLoginRecord> records) {
    PCollectionTuple latest =
        records
            .apply("ParseLoginEvents", new ParseLoginEvents(parser))
            .apply("FixedEventTimeWindows", windows())
            .apply("EnrichWithUsers", new EnrichWithUsers(users, usersTable, usersLoadWait))
            .apply("LatestLoginPerUser", new LatestLoginPerUser(auditGrace, latestLoginScope));
    PCollection<DeadLetter> deadLetters =
        latest.get(LatestLoginPerUser.DEAD_LETTERS).apply("CountDeadLetters", ParDo.of(new CountDeadLettersFn()));
    return new Result(records.getPipeline(), latest.get(LatestLoginPerUser.ROWS), deadLetters);
  }

  private <T> Window<T> windows() {
    return Window.<T>into(FixedWindows.of(windowSize))
        .withAllowedLateness(allowedLateness)
        .discardingFiredPanes();
  }

  static final class CountDeadLettersFn extends DoFn<DeadLetter, DeadLetter> {
    @ProcessElement
    public void process(@Element DeadLetter deadLetter, OutputReceiver<DeadLetter> out) {
      PipelineMetrics.DEAD_LETTERS.inc();
      PipelineMetrics.deadLetters(deadLetter.reason()).inc();
      out.output(deadLetter);
    }
  }

  /** Rows to upsert and dead letters to publish. */
  public static final class Result implements POutput {
    private static final TupleTag<SourcedRow> ROWS = new TupleTag<>("rows");
    private static final TupleTag<DeadLetter> DEAD = new TupleTag<>("deadLetters");

    private final Pipeline pipeline;
    private final PCollection<SourcedRow> rows;
    private final PCollection<DeadLetter> deadLetters;
    private @Nullable PCollection<LastLogin> plainRows;

    Result(Pipeline pipeline, PCollection<SourcedRow> rows, PCollection<DeadLetter> deadLetters) {
      this.pipeline = pipeline;
      this.rows = rows;
      this.deadLetters = deadLetters;
    }

    /** The rows to upsert, each with the source positions of the logins merged into it. */
    public PCollection<SourcedRow> sourcedRows() {
      return rows;
    }

    /** The rows alone (what tests and readers of the output care about). */
    public PCollection<LastLogin> rows() {
      if (plainRows == null) {
        plainRows =
            rows.apply("Rows", MapElements.into(TypeDescriptor.of(LastLogin.class)).via(SourcedRow::row));
      }
      return plainRows;
    }

    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(ROWS, rows, DEAD, deadLetters);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
