package io.loginenrichment.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, host:port[,host:port...]")
  @Default.String("127.0.0.1:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topic the login events are read from")
  @Default.String("logins")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Kafka consumer group; its offsets move as set by --commitOffsets (by default once the rows and dead letters are written)")
  @Default.String("login-enrichment")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description("Where a consumer group without committed offsets starts: EARLIEST or LATEST")
  @Default.Enum("EARLIEST")
  StartingOffsets getStartingOffsets();

  void setStartingOffsets(StartingOffsets value);

  @Description(
      "Before starting, move the consumer group back this far (in record time, from its last"
          + " committed record) so logins read but not yet written before a stop or crash are read"
          + " again; 'auto' = none with --commitOffsets=AFTER_WRITE, else two windows plus"
          + " maxOutOfOrderness and allowedLateness; 0s = off")
  @Default.String("auto")
  String getReplayOnStart();

  void setReplayOnStart(String value);

  @Description(
      "When offsets are committed to the consumer group: AFTER_WRITE (once every record below them"
          + " is written or dead-lettered, so a restart from the group loses nothing) or ON_READ"
          + " (KafkaIO's commit when a read is finalized, before the windows fire; needed with"
          + " --cassandraWriter=CASSANDRA_IO, which reports no writes)")
  @Default.Enum("AFTER_WRITE")
  CommitOffsets getCommitOffsets();

  void setCommitOffsets(CommitOffsets value);

  @Description(
      "Extra Kafka client properties as key=value, comma separated, for consumer and producer"
          + " (e.g. security.protocol=SASL_PLAINTEXT,sasl.mechanism=PLAIN)")
  List<String> getKafkaProperties();

  void setKafkaProperties(List<String> value);

  @Description(
      "Kafka SASL username (or env KAFKA_USERNAME). With it, clients authenticate with"
          + " --kafkaSaslMechanism over SASL_PLAINTEXT, or over SASL_SSL if --kafkaProperties sets"
          + " security.protocol=SASL_SSL")
  String getKafkaUsername();

  void setKafkaUsername(String value);

  // Not serialized with the options (they travel to workers and runner UIs): the connection
  // object built from them carries the secret instead.
  @JsonIgnore
  @Description("Kafka SASL password (or env KAFKA_PASSWORD; prefer the environment)")
  String getKafkaPassword();

  void setKafkaPassword(String value);

  @Description("Kafka SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
  @Default.String("PLAIN")
  String getKafkaSaslMechanism();

  void setKafkaSaslMechanism(String value);
}
