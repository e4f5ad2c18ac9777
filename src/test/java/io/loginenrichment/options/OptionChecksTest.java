package io.loginenrichment.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loginenrichment.options.StartingOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One line per bad value, naming the option, the value and what is accepted. */
class OptionChecksTest {

  private static LoginEnrichmentOptions parse(String... args) {
    return OptionChecks.parse(args, LoginEnrichmentOptions.class);
  }

  @Test
  void enumValuesAreAcceptedInAnyCase() {
    LoginEnrichmentOptions o = parse("--startingOffsets=earliest", "--latestLoginScope=Bundle");
    assertThat(o.getStartingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
    assertThat(o.getLatestLoginScope()).isEqualTo(LatestLoginScope.BUNDLE);
  }

  @Test
  void theDefaultsPass() {
    assertThat(parse().getWindowSize()).isEqualTo("30s");
  }

  @Test
  void consistencyIsAcceptedInAnyCaseToo() {
    assertThat(parse("--cassandraConsistency=local_one").getCassandraConsistency()).isEqualTo("LOCAL_ONE");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--startingOffsets=oldest | --startingOffsets=oldest is not one of EARLIEST, LATEST",
        "--latestLoginScope=minute | --latestLoginScope=minute is not one of WINDOW, BUNDLE",
        "--usersRefreshInterval=0s | --usersRefreshInterval=0s must be longer than 0",
        "--windowSize=0 | --windowSize=0 must be longer than 0",
        "--windowSize=soon | --windowSize=soon is not a duration",
        "--maxOutOfOrderness=-3s | --maxOutOfOrderness=-3s is not a duration",
        "--allowedLateness=ten | --allowedLateness=ten is not a duration",
        "--stallTimeout=forever | --stallTimeout=forever is not a duration",
        "--cassandraPort=0 | --cassandraPort=0 is not a port (1-65535)",
        "--cassandraPort=70000 | --cassandraPort=70000 is not a port",
        "--metricsPort=-1 | --metricsPort=-1 is not a port (0-65535)",
        "--maxEventBytes=0 | --maxEventBytes=0 must be a positive number of bytes",
        "'--cassandraHosts= , ' | --cassandraHosts must name at least one host",
        "--bootstrapServers= | --bootstrapServers must name at least one host",
        "--bootstrapServers=kafka | kafka is not host:port",
        "--bootstrapServers=kafka:99999 | kafka:99999 is not host:port",
        "--inputTopic= | --inputTopic must not be empty",
        "--eventTimeZone=Mars/Olympus | --eventTimeZone=Mars/Olympus is not a time zone",
        "--cassandraConsistency=MOST | --cassandraConsistency=MOST is not one of",
      })
  void aBadValueIsOneLineNamingTheOptionAndWhatIsAccepted(String arg, String message) {
    assertThatThrownBy(() -> parse(arg))
        .isInstanceOf(OptionChecks.BadOption.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
