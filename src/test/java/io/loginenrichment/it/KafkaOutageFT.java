package io.loginenrichment.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loginenrichment.tools.LoginProducer;
import io.loginenrichment.tools.SyntheticLogins;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault test: the Kafka broker stops for 20 s mid-stream and comes back. The pipeline keeps
 * running, resumes reading where it was, and every record is accounted for exactly once.
 */
class KafkaOutageFT {
  private static final int BEFORE = 1_500;
  private static final int AFTER = 2_500;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct"})
  void aTwentySecondBrokerOutageLosesNothing(String runner) throws Exception {
    RealServers.assumeStartedHere("kafka");
    try (RealServers servers = new RealServers("kafkaoutage", runner)) {
      Instant start = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
      SyntheticLogins logins =
          new SyntheticLogins(
              new SyntheticLogins.Settings(
                  120, BEFORE + AFTER, 1.1, 0.05, 0.05, Duration.ofSeconds(20), start, Duration.ofMinutes(10), 11));
      SentLogins sent = new SentLogins(servers.loadUsers(logins));
      RealServers.RunningPipeline pipeline = servers.startPipeline();
      Iterator<SyntheticLogins.Event> events = logins.events();
      try (LoginProducer producer = servers.producer()) {
        for (int i = 0; i < BEFORE; i++) {
          sent.send(producer, events.next());
        }
      }
      RealServers.await(Duration.ofSeconds(90), () -> pipeline.counter("events_in") >= BEFORE, true);

      RealServers.serversScript("stop", "kafka");
      try {
        Thread.sleep(20_000);
        assertThat(pipeline.result.getState().isTerminal()).as("the pipeline survived the outage").isFalse();
      } finally {
        RealServers.serversScript("start", "kafka"); // the next test needs it, even after a failure
      }
      servers.awaitBrokerTakesWrites(Duration.ofSeconds(90));

      try (LoginProducer producer = servers.producer()) {
        while (events.hasNext()) {
          sent.send(producer, events.next());
        }
      }
      sent.awaitAllApplied(servers, Duration.ofMinutes(3));
      RealServers.await(Duration.ofSeconds(30), () -> pipeline.counter("events_in"), sent.sent());
      sent.assertCountersBalance(pipeline::counter);
      assertThat(pipeline.result.getState().isTerminal()).isFalse();
    }
  }
}
