package io.loginenrichment.tools;

import io.loginenrichment.kafka.KafkaConnection;
import io.loginenrichment.options.Durations;
import io.loginenrichment.options.KafkaOptions;
import io.loginenrichment.options.OptionChecks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Sends login events to Kafka: the lines of a JSON-lines file ({@code --file}), or synthetic
 * logins ({@code --count}, {@code --users}, ...). Prints a progress line every few seconds.
 */
public final class ProduceLogins {
  private ProduceLogins() {}

  public interface Options extends KafkaOptions, StreamingOptions {
    @Description("JSON-lines file to send, one record per line (keyed by its login_id)")
    String getFile();

    void setFile(String value);

    @Description("Synthetic mode: number of events to send")
    @Default.Long(10_000)
    long getCount();

    void setCount(long value);

    @Description("Synthetic mode: number of distinct users (ids 1000000, 1000001, ...)")
    @Default.Integer(1_000)
    int getUsers();

    void setUsers(int value);

    @Description("Synthetic mode: events per second, 0 for as fast as possible")
    @Default.Integer(0)
    int getRate();

    void setRate(int value);

    @Description("Synthetic mode: Zipf skew of user popularity (0 = uniform)")
    @Default.Double(1.1)
    double getZipfSkew();

    void setZipfSkew(double value);

    @Description("Synthetic mode: share of events with an unknown login_id")
    @Default.Double(0.01)
    double getUnknownShare();

    void setUnknownShare(double value);

    @Description("Synthetic mode: share of malformed records")
    @Default.Double(0.005)
    double getMalformedShare();

    void setMalformedShare(double value);

    @Description("Synthetic mode: out-of-order jitter of created_time, +/- (e.g. 2m)")
    @Default.String("2m")
    String getJitter();

    void setJitter(String value);

    @Description("Synthetic mode: created_time of the first event, ISO-8601, or 'now' (minus the span)")
    @Default.String("now")
    String getStartTime();

    void setStartTime(String value);

    @Description("Synthetic mode: event-time span the events cover (e.g. 1h)")
    @Default.String("1h")
    String getSpan();

    void setSpan(String value);

    @Description("Synthetic mode: random seed")
    @Default.Long(42)
    long getSeed();

    void setSeed(long value);
  }

  /** Its own options' rules (the synthetic ones only when no file is given). */
  static void check(Options o) {
    if (o.getFile() != null) {
      OptionChecks.readableFile("file", o.getFile(), false);
      return;
    }
    OptionChecks.atLeast("count", o.getCount(), 1);
    OptionChecks.atLeast("users", o.getUsers(), 1);
    OptionChecks.atLeast("rate", o.getRate(), 0);
    if (!(o.getZipfSkew() >= 0)) {
      throw new OptionChecks.BadOption("--zipfSkew=" + o.getZipfSkew() + " must be 0 (uniform) or more");
    }
    OptionChecks.share("unknownShare", o.getUnknownShare());
    OptionChecks.share("malformedShare", o.getMalformedShare());
    OptionChecks.duration("jitter", o.getJitter());
    OptionChecks.positive("span", o.getSpan());
    if (!"now".equals(o.getStartTime())) {
      try {
        Instant.parse(o.getStartTime());
      } catch (DateTimeParseException e) {
        throw new OptionChecks.BadOption(
            "--startTime=" + o.getStartTime() + " is neither 'now' nor an ISO-8601 instant (e.g. 2020-09-18T07:15:00Z)");
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = OptionChecks.parseOrExit(args, Options.class, ProduceLogins::check);
    KafkaConnection kafka = KafkaConnection.fromOptions(o);
    try (LoginProducer producer = new LoginProducer(kafka, o.getInputTopic())) {
      if (o.getFile() != null) {
        for (String line : Files.readAllLines(Path.of(o.getFile()), StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            producer.send(JsonLines.loginIdOrNull(line), line.getBytes(StandardCharsets.UTF_8));
          }
        }
        producer.flush();
        System.out.printf("Sent %d records from %s to %s%n", producer.sent(), o.getFile(), o.getInputTopic());
        return;
      }
      sendSynthetic(o, producer);
    }
  }

  private static void sendSynthetic(Options o, LoginProducer producer) {
    java.time.Duration span = java.time.Duration.ofMillis(Durations.parse("span", o.getSpan()).getMillis());
    Instant start = "now".equals(o.getStartTime()) ? Instant.now().minus(span) : Instant.parse(o.getStartTime());
    SyntheticLogins logins =
        new SyntheticLogins(
            new SyntheticLogins.Settings(
                o.getUsers(),
                o.getCount(),
                o.getZipfSkew(),
                o.getUnknownShare(),
                o.getMalformedShare(),
                java.time.Duration.ofMillis(Durations.parse("jitter", o.getJitter()).getMillis()),
                start,
                span,
                o.getSeed()));
    Map<SyntheticLogins.Kind, Long> kinds = new EnumMap<>(SyntheticLogins.Kind.class);
    long t0 = System.nanoTime();
    long lastReport = t0;
    Iterator<SyntheticLogins.Event> events = logins.events();
    while (events.hasNext()) {
      SyntheticLogins.Event e = events.next();
      producer.send(e.key(), e.value());
      kinds.merge(e.kind(), 1L, Long::sum);
      long now = System.nanoTime();
      if (o.getRate() > 0) {
        long due = t0 + producer.sent() * 1_000_000_000L / o.getRate();
        if (due > now) {
          sleepNanos(due - now);
        }
      }
      if (now - lastReport > 2_000_000_000L) {
        lastReport = now;
        double secs = (now - t0) / 1e9;
        System.err.printf("sent %,d / %,d  %.0f ev/s  %.1fs%n", producer.sent(), o.getCount(), producer.sent() / secs, secs);
      }
    }
    producer.flush();
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "Sent %,d events to %s in %.1fs (%.0f ev/s): %s%n",
        producer.sent(), o.getInputTopic(), secs, producer.sent() / Math.max(secs, 1e-9), kinds);
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
