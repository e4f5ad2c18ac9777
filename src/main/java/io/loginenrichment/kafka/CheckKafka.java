package io.loginenrichment.kafka;

import io.loginenrichment.util.ServerCheckException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Before the pipeline starts: Kafka answers, accepts the credentials and has the topics. Without
 * this, a wrong password or a missing topic shows up as a reader retrying forever in a worker log.
 */
public final class CheckKafka {
  private CheckKafka() {}

  public static void check(KafkaConnection kafka, List<String> topics, Duration timeout) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    String who = kafka.saslUser().isEmpty() ? "" : " as user '" + kafka.saslUser() + "'";
    try (Admin admin = Admin.create(props)) {
      admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AuthenticationException) {
        throw new ServerCheckException(
            "Kafka at " + kafka.bootstrapServers() + " rejected the credentials" + who + ": "
                + cause.getMessage() + " (check --kafkaUsername/--kafkaPassword or KAFKA_USERNAME/KAFKA_PASSWORD)");
      }
      if (cause instanceof AuthorizationException) {
        throw new ServerCheckException(
            "Kafka at " + kafka.bootstrapServers() + " does not allow" + who + " to describe topics " + topics
                + ": " + cause.getMessage());
      }
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw new ServerCheckException(
            "a topic of " + topics + " does not exist on Kafka at " + kafka.bootstrapServers()
                + " (create it, e.g. with io.loginenrichment.tools.LocalSetup, or fix --inputTopic/--deadLetterTopic)");
      }
      throw new ServerCheckException(
          "Kafka check against " + kafka.bootstrapServers() + " failed: " + cause);
    } catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
      throw new ServerCheckException(
          "Kafka at " + kafka.bootstrapServers() + " did not answer within " + timeout.toSeconds()
              + " s: is it running, and are --bootstrapServers and security.protocol right?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerCheckException("interrupted while checking Kafka");
    }
  }
}
