package io.loginenrichment.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The runner's metrics as Prometheus text: names, sums over steps, the freshness histogram. */
class PrometheusEndpointTest {
  private static <T> MetricResult<T> at(String step, String name, T value) {
    return MetricResult.create(MetricKey.create(step, MetricName.named("login-enrichment", name)), Boolean.FALSE, value);
  }

  private static MetricQueryResults results(
      List<MetricResult<Long>> counters,
      List<MetricResult<DistributionResult>> distributions,
      List<MetricResult<GaugeResult>> gauges) {
    return MetricQueryResults.create(counters, distributions, gauges, List.of(), List.of(), List.of());
  }

  private static String text(MetricQueryResults results) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(out, new MetricSnapshots(PrometheusEndpoint.PipelineCollector.fromBeam(results)));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void countersAreSummedOverStepsAndNamedWithThePrefix() throws Exception {
    String text =
        text(
            results(
                List.of(at("Parse", "events_in", 7L), at("Parse2", "events_in", 3L), at("Join", "dead_letters_unknown_user", 2L)),
                List.of(),
                List.of()));
    assertThat(text)
        .contains("login_enrichment_events_in_total 10")
        .contains("login_enrichment_dead_letters_unknown_user_total 2")
        .contains("# HELP login_enrichment_events_in_total Records read from the logins topic");
  }

  @Test
  void freshnessBucketsBecomeOneCumulativeHistogramInSeconds() throws Exception {
    String text =
        text(
            results(
                List.of(
                    at("Write", "freshness_ms_le_500", 5L),
                    at("Write", "freshness_ms_le_2000", 3L),
                    at("Write", "freshness_ms_le_inf", 1L)),
                List.of(at("Write", "freshness_ms", DistributionResult.create(400_000, 9, 0, 350_000))),
                List.of()));
    assertThat(text)
        .contains("login_enrichment_freshness_seconds_bucket{le=\"0.5\"} 5")
        .contains("login_enrichment_freshness_seconds_bucket{le=\"1.0\"} 5")
        .contains("login_enrichment_freshness_seconds_bucket{le=\"2.0\"} 8")
        .contains("login_enrichment_freshness_seconds_bucket{le=\"300.0\"} 8")
        .contains("login_enrichment_freshness_seconds_bucket{le=\"+Inf\"} 9")
        .contains("login_enrichment_freshness_seconds_count 9")
        .contains("login_enrichment_freshness_seconds_sum 400.0")
        .doesNotContain("freshness_ms_le");
  }

  @Test
  void theUsersSnapshotHasASizeAndAnAge() throws Exception {
    Instant loaded = Instant.now().minus(org.joda.time.Duration.standardSeconds(42));
    String text =
        text(
            results(
                List.of(),
                List.of(at("Join", "users_load_millis", DistributionResult.create(3000, 2, 1000, 2000))),
                List.of(at("Join", "users_loaded", GaugeResult.create(1_000_000, loaded)))));
    assertThat(text)
        .contains("login_enrichment_users_loaded 1000000")
        .contains("login_enrichment_users_load_millis_count 2")
        .contains("login_enrichment_users_load_millis_max 2000")
        .containsPattern("login_enrichment_users_snapshot_age_seconds 4[2-9]\\.");
  }
}
