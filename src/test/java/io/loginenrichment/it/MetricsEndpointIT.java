package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.kafka.ConsumerLag;
import io.loginenrichment.monitoring.PrometheusEndpoint;
import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.SyntheticLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Prometheus endpoint during a real run: from the scrape alone, every event is accounted for,
 * the freshness histogram counts the writes, and the consumer lag returns to 0 once the stream
 * stops.
 */
class MetricsEndpointIT {
  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN|\\+Inf)$");

  @ParameterizedTest(name = "{0}")
  // On the SparkRunner, the engine the endpoint was built for. On Flink the endpoint reads the same
  // MetricResults through LiveMetricsResult: its counters are checked by MixedStreamIT, its gauge
  // times by BeamMetricsReporterTest. (CI time: each runner here costs about two minutes.)
  @ValueSource(strings = {"spark-local"})
  void theScrapeAloneAccountsForEveryEventAndShowsLagBackToZero(String runner) throws Exception {
    try (RealServers servers = new RealServers("metrics", runner)) {
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  300, 3_000, 1.1, 0.05, 0.05, Duration.ofSeconds(20),
                  Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS), Duration.ofMinutes(5), 23));
      Map<String, Instant> users = servers.loadUsers(logins);
      SentLogins sent = new SentLogins(users);
      RealServers.RunningPipeline pipeline = servers.startPipeline();
      try (PrometheusEndpoint endpoint =
          PrometheusEndpoint.start(
              0, pipeline.result, new ConsumerLag(servers.kafka, servers.inputTopic, "group_" + servers.name))) {
        URI uri = URI.create("http://localhost:" + endpoint.port() + "/metrics");
        try (LoginProducer producer = servers.producer()) {
          Iterator<SyntheticLogins.Event> events = logins.events();
          while (events.hasNext()) {
            sent.send(producer, events.next());
          }
        }
        assertThat(scrape(uri)).containsKey("login_enrichment_consumer_lag_records{partition=\"0\"}");

        Map<String, Double> m =
            RealServers.awaitValue(
                Duration.ofMinutes(3),
                () -> scrape(uri),
                s -> s.getOrDefault("login_enrichment_offsets_committed_total", 0.0) >= sent.sent()
                    && sumOf(s, "login_enrichment_consumer_lag_records") == 0);
        System.out.printf("MetricsEndpointIT %s: %s%n", runner, m);

        double parseDeadLetters = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
          String key = e.getKey();
          if (key.startsWith("login_enrichment_dead_letters_")
              && !key.equals("login_enrichment_dead_letters_total")
              && !key.contains("unknown_user")) {
            parseDeadLetters += e.getValue();
          }
        }
        double eventsIn = m.get("login_enrichment_events_in_total");
        assertThat(eventsIn).isEqualTo(sent.sent());
        assertThat(m.get("login_enrichment_events_valid_total") + parseDeadLetters).isEqualTo(eventsIn);
        assertThat(m.get("login_enrichment_logins_known_total") + m.getOrDefault("login_enrichment_dead_letters_unknown_user_total", 0.0))
            .isEqualTo(m.get("login_enrichment_events_valid_total"));
        assertThat(m.get("login_enrichment_freshness_seconds_count")).isGreaterThan(0);
        assertThat(m.get("login_enrichment_freshness_seconds_count"))
            .isEqualTo(m.get("login_enrichment_freshness_seconds_bucket{le=\"+Inf\"}"));
        assertThat(m.get("login_enrichment_users_loaded")).isEqualTo(users.size());
        assertThat(m.get("login_enrichment_consumer_lag_up")).isEqualTo(1.0);
        assertThat(sumOf(m, "login_enrichment_consumer_lag_seconds")).isZero();
        assertThat(m.getOrDefault("login_enrichment_logins_lost_in_grouping_total", 0.0)).isZero();
        sent.awaitAllApplied(servers, Duration.ofMinutes(1));
      }
    }
  }

  private static double sumOf(Map<String, Double> scrape, String metric) {
    return scrape.entrySet().stream()
        .filter(e -> e.getKey().startsWith(metric + "{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** One scrape as {@code name{labels} -> value}. */
  static Map<String, Double> scrape(URI uri) {
    try {
      String body =
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
      Map<String, Double> out = new HashMap<>();
      for (String line : body.split("\n")) {
        Matcher m = SAMPLE.matcher(line.trim());
        if (!line.startsWith("#") && m.matches()) {
          out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("scrape of " + uri + " failed", e);
    }
  }
}
