package io.loginenrichment.tools;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loginenrichment.options.OptionChecks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The tools' own options (the demo, the setup, the producer): one line per bad value, as the pipeline's. */
class ToolOptionChecksTest {

  private static void demo(String arg) {
    Demo.check(OptionChecks.parse(new String[] {arg}, Demo.Options.class));
  }

  private static void produce(String arg) {
    ProduceLogins.check(OptionChecks.parse(new String[] {arg}, ProduceLogins.Options.class));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--runFor=a while | --runFor=a while is not a duration",
        "--runFor=-2m | --runFor=-2m is not a duration",
        "--loginsFile=no/such.jsonl | --loginsFile=no/such.jsonl: no such readable file",
        "--loginsFile= | --loginsFile must name a file",
        "--badLoginsFile=pipelines | --badLoginsFile=pipelines: no such readable file",
        "--schemaFile=schema.sql | --schemaFile=schema.sql: no such readable file",
        "--usersCsv=users.csv | --usersCsv=users.csv: no such readable file",
        "--inputPartitions=0 | --inputPartitions=0 must be 1 or more",
      })
  void aBadDemoOrSetupValueIsOneLine(String arg, String message) {
    assertThatThrownBy(() -> demo(arg)).isInstanceOf(OptionChecks.BadOption.class).hasMessageStartingWith(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--file=logins.jsonl | --file=logins.jsonl: no such readable file",
        "--count=0 | --count=0 must be 1 or more",
        "--users=-1 | --users=-1 must be 1 or more",
        "--rate=-10 | --rate=-10 must be 0 or more",
        "--zipfSkew=-1 | --zipfSkew=-1.0 must be 0 (uniform) or more",
        "--unknownShare=5 | --unknownShare=5.0 must be a share between 0 and 1",
        "--malformedShare=NaN | --malformedShare=NaN must be a share between 0 and 1",
        "--jitter=2 minutes | --jitter=2 minutes is not a duration",
        "--span=0s | --span=0s must be longer than 0",
        "--startTime=yesterday | --startTime=yesterday is neither 'now' nor an ISO-8601 instant",
      })
  void aBadProducerValueIsOneLine(String arg, String message) {
    assertThatThrownBy(() -> produce(arg)).isInstanceOf(OptionChecks.BadOption.class).hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--runFor=0", "--runFor=2m", "--usersCsv=", "--badLoginsFile="})
  void theDemosDefaultsAndItsNoneValuesPass(String arg) {
    assertThatCode(() -> demo(arg)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--file=pipelines/login-enrichment/logins.jsonl", "--startTime=2020-09-18T07:15:00Z", "--rate=0"})
  void theProducersGoodValuesPass(String arg) {
    assertThatCode(() -> produce(arg)).doesNotThrowAnyException();
  }
}
