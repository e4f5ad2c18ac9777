package io.loginenrichment.options;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/**
 * Every option value checked once, up front, before anything starts: a bad value is one line
 * naming the option, the value and what is accepted ({@link BadOption}), never a stack trace from
 * deep inside a runner. Enum values are accepted in any case ({@code --startingOffsets=earliest},
 * as Kafka and Spark spell it).
 */
public final class OptionChecks {
  private OptionChecks() {}

  /** A bad option value; the message is what the user sees. */
  public static final class BadOption extends IllegalArgumentException {
    public BadOption(String message) {
      super(message);
    }
  }

  /**
   * {@code args} with every enum option's value in the constant's own spelling; an unknown value
   * is a {@link BadOption} listing the accepted ones.
   */
  public static String[] normalizeEnums(String[] args, Class<? extends PipelineOptions> options) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      String arg = out[i];
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        continue;
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1);
      Class<?> type = optionType(options, name);
      if (type == null || !type.isEnum()) {
        continue;
      }
      Object[] constants = type.getEnumConstants();
      String match = null;
      for (Object c : constants) {
        if (((Enum<?>) c).name().equalsIgnoreCase(value.trim())) {
          match = ((Enum<?>) c).name();
        }
      }
      if (match == null) {
        throw new BadOption(
            "--" + name + "=" + value + " is not one of "
                + Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "))
                + " (any case)");
      }
      out[i] = "--" + name + "=" + match;
    }
    return out;
  }

  private static Class<?> optionType(Class<?> options, String name) {
    String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (Method m : options.getMethods()) {
      if (m.getName().equals(getter) && m.getParameterCount() == 0) {
        return m.getReturnType();
      }
    }
    return null;
  }

  /**
   * The options from {@code args}, every value checked; a bad one ends the process with one line
   * on stderr and exit code 2, never a stack trace.
   */
  public static <T extends PipelineOptions> T parseOrExit(String[] args, Class<T> type) {
    return parseOrExit(args, type, options -> {});
  }

  /** As above, with the checks of a tool's own options (each bad value a {@link BadOption}). */
  public static <T extends PipelineOptions> T parseOrExit(String[] args, Class<T> type, Consumer<? super T> ownChecks) {
    try {
      T options = parse(args, type);
      ownChecks.accept(options);
      return options;
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid options");
      System.err.println("login-enrichment: " + message + " (--help lists the options)");
      System.exit(2);
      throw e;
    }
  }

  /** As {@link #parseOrExit}, throwing instead: a {@link BadOption} or Beam's own error. */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    T options = PipelineOptionsFactory.fromArgs(normalizeEnums(args, type)).withValidation().as(type);
    if (options instanceof LoginEnrichmentOptions pipelineOptions) {
      validate(pipelineOptions);
    }
    return options;
  }

  /** Checks every value of the pipeline's options; the first bad one is a {@link BadOption}. */
  public static void validate(LoginEnrichmentOptions o) {
    if (o.getCommitOffsets() == CommitOffsets.AFTER_WRITE && o.getCassandraWriter() == CassandraWriter.CASSANDRA_IO) {
      throw new BadOption(
          "--cassandraWriter=CASSANDRA_IO reports no writes, so offsets cannot be committed after them:"
              + " add --commitOffsets=ON_READ");
    }
    positive("windowSize", o.getWindowSize());
    positive("usersRefreshInterval", o.getUsersRefreshInterval());
    positive("cassandraWriteRetryTimeout", o.getCassandraWriteRetryTimeout());
    for (String[] d : new String[][] {
      {"maxOutOfOrderness", o.getMaxOutOfOrderness()},
      {"allowedLateness", o.getAllowedLateness()},
      {"groupingAuditGrace", o.getGroupingAuditGrace()},
      {"maxFutureSkew", o.getMaxFutureSkew()},
      {"usersLoadWait", o.getUsersLoadWait()},
      {"countersInterval", o.getCountersInterval()},
      {"stallTimeout", o.getStallTimeout()},
    }) {
      duration(d[0], d[1]);
    }
    port("cassandraPort", o.getCassandraPort(), 1);
    port("metricsPort", o.getMetricsPort(), 0);
    if (o.getMaxEventBytes() <= 0) {
      throw new BadOption("--maxEventBytes=" + o.getMaxEventBytes() + " must be a positive number of bytes");
    }
    hosts("cassandraHosts", o.getCassandraHosts(), false);
    hosts("bootstrapServers", o.getBootstrapServers(), true);
    for (String[] t : new String[][] {
      {"inputTopic", o.getInputTopic()}, {"deadLetterTopic", o.getDeadLetterTopic()}, {"consumerGroup", o.getConsumerGroup()}
    }) {
      if (t[1] == null || t[1].isBlank()) {
        throw new BadOption("--" + t[0] + " must not be empty");
      }
    }
    try {
      ZoneId.of(o.getEventTimeZone());
    } catch (DateTimeException | NullPointerException e) {
      throw new BadOption("--eventTimeZone=" + o.getEventTimeZone() + " is not a time zone (e.g. UTC, Europe/Paris, +02:00)");
    }
    String consistency = o.getCassandraConsistency() == null ? "" : o.getCassandraConsistency().toUpperCase(Locale.ROOT);
    List<String> levels = List.of("ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE");
    if (!levels.contains(consistency)) {
      throw new BadOption("--cassandraConsistency=" + o.getCassandraConsistency() + " is not one of " + String.join(", ", levels));
    }
    o.setCassandraConsistency(consistency);
  }

  /** {@code --option=value} as a duration (0 or more); else a {@link BadOption}. */
  public static Duration duration(String option, String value) {
    try {
      return Durations.parse(option, value);
    } catch (IllegalArgumentException e) {
      throw new BadOption(e.getMessage());
    }
  }

  /** {@code --option=value} as a duration longer than 0; else a {@link BadOption}. */
  public static Duration positive(String option, String value) {
    Duration d = duration(option, value);
    if (!d.isLongerThan(Duration.ZERO)) {
      throw new BadOption("--" + option + "=" + value + " must be longer than 0 (e.g. 30s, 5m)");
    }
    return d;
  }

  /** A count of at least {@code lowest}. */
  public static void atLeast(String option, long value, long lowest) {
    if (value < lowest) {
      throw new BadOption("--" + option + "=" + value + " must be " + lowest + " or more");
    }
  }

  /** A share between 0 and 1. */
  public static void share(String option, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new BadOption("--" + option + "=" + value + " must be a share between 0 and 1 (e.g. 0.01)");
    }
  }

  /** A file that can be read; an empty value only where it means "none". */
  public static void readableFile(String option, String value, boolean emptyMeansNone) {
    if (value == null || value.isEmpty()) {
      if (!emptyMeansNone) {
        throw new BadOption("--" + option + " must name a file");
      }
      return;
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new BadOption("--" + option + "=" + value + ": no such readable file (relative paths start at " + Path.of("").toAbsolutePath() + ")");
    }
  }

  private static void port(String option, int value, int lowest) {
    if (value < lowest || value > 65_535) {
      throw new BadOption("--" + option + "=" + value + " is not a port (" + lowest + "-65535)");
    }
  }

  private static void hosts(String option, String value, boolean needsPort) {
    List<String> hosts = new ArrayList<>();
    for (String h : value == null ? new String[0] : value.split(",")) {
      if (!h.isBlank()) {
        hosts.add(h.trim());
      }
    }
    if (hosts.isEmpty()) {
      throw new BadOption("--" + option + " must name at least one host" + (needsPort ? " (host:port)" : ""));
    }
    if (needsPort) {
      for (String h : hosts) {
        int colon = h.lastIndexOf(':');
        int port;
        try {
          port = colon < 0 ? -1 : Integer.parseInt(h.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (colon <= 0 || port < 1 || port > 65_535) {
          throw new BadOption("--" + option + "=" + value + ": " + h + " is not host:port");
        }
      }
    }
  }
}
