package io.loginenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loginenrichment.options.LoginEnrichmentOptions;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No Docker engine runs here: check docker-compose.yml against the pipeline instead. */
class DockerComposeTest {
  static JsonNode services;
  static LoginEnrichmentOptions defaults;

  @BeforeAll
  static void parse() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(new File("docker-compose.yml"));
    services = compose.get("services");
    defaults = PipelineOptionsFactory.create().as(LoginEnrichmentOptions.class);
  }

  static String all(String service) {
    return services.get(service).toString();
  }

  @Test
  void everyServiceRunsAPinnedImage() {
    List<String> unpinned = new ArrayList<>();
    for (Map.Entry<String, JsonNode> s : iterable(services)) {
      String image = s.getValue().path("image").asText("");
      if (image.isEmpty() || !image.contains(":") || image.endsWith(":latest")) {
        unpinned.add(s.getKey() + "=" + image);
      }
    }
    assertThat(unpinned).isEmpty();
    assertThat(services.fieldNames()).toIterable()
        .contains("kafka", "cassandra", "spark-master", "spark-worker", "init", "pipeline", "generator");
  }

  @Test
  void portsMatchTheLocalServersAndPipelineDefaults() {
    assertThat(all("kafka")).contains("\"" + defaults.getBootstrapServers().split(":")[1] + ":9092\"");
    assertThat(all("cassandra")).contains("\"" + defaults.getCassandraPort() + ":9042\"");
    assertThat(all("spark-master")).contains("7077:7077", "8080:8080");
    assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:4.");
    assertThat(services.at("/cassandra/image").asText()).startsWith("cassandra:5.0");
    assertThat(services.at("/spark-master/image").asText()).startsWith("apache/spark:3.5");
  }

  @Test
  void setupAndPipelineUseTheDefaultTopicsAndTable() {
    for (String service : List.of("init", "pipeline")) {
      assertThat(all(service))
          .contains("--inputTopic=" + defaults.getInputTopic())
          .contains("--deadLetterTopic=" + defaults.getDeadLetterTopic())
          .contains("--keyspace=" + defaults.getKeyspace())
          .contains("--usersTable=" + defaults.getUsersTable());
    }
    assertThat(all("pipeline")).contains("--runner=SparkRunner", "spark://spark-master:7077");
    assertThat(all("generator")).contains("--inputTopic=" + defaults.getInputTopic());
  }

  @Test
  void theInitServiceWaitsUntilTheServersAnswer() {
    assertThat(services.at("/init/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
    assertThat(services.at("/init/depends_on/cassandra/condition").asText()).isEqualTo("service_healthy");
    assertThat(services.at("/kafka/healthcheck/test").toString()).contains("kafka-topics.sh");
    assertThat(services.at("/cassandra/healthcheck/test").toString()).contains("cqlsh");
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
