package io.loginenrichment.kafka;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bootstrap servers plus client properties passed through to every consumer and producer (SASL,
 * TLS, timeouts). {@link #toString()} hides values of keys that look secret.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties)
    implements Serializable {

  public KafkaConnection {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers is required");
    }
    properties = Map.copyOf(properties);
  }

  /** Parses {@code key=value} entries, as given on the command line. */
  public static Map<String, String> parseProperties(List<String> entries) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("Kafka property must be key=value, got '" + entry + "'");
      }
      props.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return props;
  }

  /** Properties as KafkaIO wants them. */
  public Map<String, Object> clientProperties() {
    return new LinkedHashMap<>(properties);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("KafkaConnection{").append(bootstrapServers);
    properties.forEach(
        (k, v) -> {
          boolean secret = k.contains("password") || k.contains("jaas") || k.contains("secret");
          sb.append(", ").append(k).append('=').append(secret ? "***" : v);
        });
    return sb.append('}').toString();
  }
}
