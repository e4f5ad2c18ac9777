package io.loginenrichment.kafka;

import io.loginenrichment.util.Credentials;
import io.loginenrichment.options.KafkaOptions;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Map<String, String> LOGIN_MODULES =
      Map.of(
          "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule",
          "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
          "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

  /**
   * Adds SASL authentication as {@code username}: the mechanism, its JAAS line, and
   * SASL_PLAINTEXT unless {@code security.protocol} is already set (e.g. SASL_SSL).
   */
  public KafkaConnection withSasl(String mechanism, String username, String password) {
    String module = LOGIN_MODULES.get(mechanism);
    if (module == null) {
      throw new IllegalArgumentException(
          "unsupported Kafka SASL mechanism '" + mechanism + "': expected one of " + new TreeSet<>(LOGIN_MODULES.keySet()));
    }
    if (username.isEmpty() || password.isEmpty()) {
      throw new IllegalArgumentException("Kafka username and password must be given together");
    }
    Map<String, String> props = new LinkedHashMap<>(properties);
    props.putIfAbsent("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", mechanism);
    props.put(
        "sasl.jaas.config",
        module + " required username=\"" + jaasQuote(username) + "\" password=\"" + jaasQuote(password) + "\";");
    return new KafkaConnection(bootstrapServers, props);
  }

  private static final Pattern JAAS_USERNAME = Pattern.compile("username=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The SASL user, if any (for error messages: never the password). */
  public String saslUser() {
    String jaas = properties.getOrDefault("sasl.jaas.config", "");
    Matcher m = JAAS_USERNAME.matcher(jaas);
    return m.find() ? m.group(1).replaceAll("\\\\(.)", "$1") : "";
  }

  private static String jaasQuote(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
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

  /** From the options; a user name or password not given there comes from KAFKA_USERNAME / KAFKA_PASSWORD. */
  public static KafkaConnection fromOptions(KafkaOptions o) {
    List<String> props = o.getKafkaProperties() == null ? List.of() : o.getKafkaProperties();
    KafkaConnection kafka = new KafkaConnection(o.getBootstrapServers(), parseProperties(props));
    String username = Credentials.firstGiven(o.getKafkaUsername(), System.getenv("KAFKA_USERNAME"));
    String password = Credentials.firstGiven(o.getKafkaPassword(), System.getenv("KAFKA_PASSWORD"));
    if (username == null && password == null) {
      return kafka;
    }
    return kafka.withSasl(
        o.getKafkaSaslMechanism(), username == null ? "" : username, password == null ? "" : password);
  }
}
