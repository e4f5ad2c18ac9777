package io.loginenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loginenrichment.options.LoginEnrichmentOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        .contains("kafka", "cassandra", "spark-master", "spark-worker", "init", "pipeline", "generator",
            "flink-jobmanager", "flink-taskmanager");
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

  /** A cluster with another Spark than the pipeline's (even another patch) is not what was tested. */
  @Test
  void imagesRunTheVersionsOfThePoms() throws Exception {
    String spark = pomProperty("pom.xml", "spark.version");
    assertThat(pomProperty("pipelines/local-servers/spark/pom.xml", "spark.version")).isEqualTo(spark);
    for (String service : List.of("spark-master", "spark-worker", "pipeline")) {
      assertThat(services.at("/" + service + "/image").asText()).as(service).startsWith("apache/spark:" + spark + "-scala2.12-");
    }
    assertThat(services.at("/kafka/image").asText())
        .isEqualTo("apache/kafka:" + pomProperty("pipelines/local-servers/kafka/pom.xml", "kafka.version"));
    assertThat(services.at("/cassandra/image").asText())
        .isEqualTo("cassandra:" + pomProperty("pipelines/local-servers/cassandra/pom.xml", "cassandra.version"));
    String flink = pomProperty("pipelines/local-servers/flink/pom.xml", "flink.version");
    for (String service : List.of("flink-jobmanager", "flink-taskmanager")) {
      assertThat(services.at("/" + service + "/image").asText()).as(service)
          .isEqualTo("flink:" + flink + "-scala_2.12-java17");
    }
  }

  /** The compose Flink cluster is the one servers.sh starts: same ports, slots and memory sizes. */
  @Test
  void flinkClusterMatchesServersSh() throws Exception {
    String script = Files.readString(Path.of("pipelines/local-servers/servers.sh"));
    String jobManager = services.at("/flink-jobmanager/environment/FLINK_PROPERTIES").asText();
    String taskManager = services.at("/flink-taskmanager/environment/FLINK_PROPERTIES").asText();
    String rest = scriptDefault(script, "FLINK_REST_PORT");
    assertThat(all("flink-jobmanager")).contains("\"" + rest + ":" + rest + "\"");
    assertThat(jobManager)
        .contains("rest.port: " + rest)
        .contains("jobmanager.rpc.port: " + scriptDefault(script, "FLINK_RPC_PORT"))
        .contains("blob.server.port: " + scriptDefault(script, "FLINK_BLOB_PORT"))
        .contains("jobmanager.memory.process.size: " + scriptDefault(script, "FLINK_JOBMANAGER_MEMORY"));
    assertThat(taskManager)
        .contains("jobmanager.rpc.address: flink-jobmanager")
        .contains("taskmanager.rpc.port: " + scriptDefault(script, "FLINK_TASKMANAGER_RPC_PORT"))
        .contains("taskmanager.data.port: " + scriptDefault(script, "FLINK_TASKMANAGER_DATA_PORT"))
        .contains("taskmanager.numberOfTaskSlots: " + scriptDefault(script, "FLINK_TASK_SLOTS"))
        .contains("taskmanager.memory.process.size: " + scriptDefault(script, "FLINK_TASKMANAGER_MEMORY"));
    // As servers.sh: the TaskManager is ready once the JobManager counts it; only asked for.
    assertThat(services.at("/flink-taskmanager/depends_on/flink-jobmanager/condition").asText())
        .isEqualTo("service_healthy");
    assertThat(services.at("/flink-taskmanager/healthcheck/test").toString()).contains("/overview", "taskmanagers");
    for (String service : List.of("flink-jobmanager", "flink-taskmanager")) {
      assertThat(services.at("/" + service + "/profiles").toString()).as(service).contains("\"flink\"");
    }
  }

  /** The default of a {@code NAME="${NAME:-default}"} setting in servers.sh. */
  static String scriptDefault(String script, String name) {
    Matcher m = Pattern.compile(name + "=\"\\$\\{" + name + ":-([^}]*)}\"").matcher(script);
    assertThat(m.find()).as(name + " in servers.sh").isTrue();
    return m.group(1);
  }

  static String pomProperty(String pom, String name) throws Exception {
    org.w3c.dom.NodeList found =
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File(pom))
            .getElementsByTagName(name);
    assertThat(found.getLength()).as(name + " in " + pom).isEqualTo(1);
    return found.item(0).getTextContent().trim();
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
