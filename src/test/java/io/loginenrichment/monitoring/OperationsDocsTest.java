package io.loginenrichment.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.loginenrichment.model.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operations.md and the alert rules name only metrics the pipeline exports, and all of them. */
class OperationsDocsTest {
  private static final Pattern METRIC = Pattern.compile("login_enrichment_[a-z_]+");

  /** A name as exported, back to the metric it belongs to. */
  private static String base(String exported) {
    String name = exported.substring(PrometheusEndpoint.PREFIX.length());
    for (String suffix : new String[] {"_total", "_bucket", "_count", "_sum", "_max"}) {
      if (name.endsWith(suffix) && !Help.all().containsKey(name)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private static boolean exported(String base) {
    return Help.all().containsKey(base) || base.equals("dead_letters_");
  }

  @Test
  void theAlertRulesParseAndNameOnlyExportedMetrics() throws Exception {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docs/prometheus-alerts.yml").toFile());
    Set<String> alerts = new HashSet<>();
    for (JsonNode group : rules.path("groups")) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        String expr = rule.path("expr").asText();
        assertThat(alert).as("every rule is an alert with a name").isNotBlank();
        assertThat(alerts.add(alert)).as("alert names are unique: %s", alert).isTrue();
        assertThat(expr).as("%s has an expression", alert).isNotBlank();
        assertThat(balanced(expr)).as("%s: balanced brackets in %s", alert, expr).isTrue();
        assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
        Matcher m = METRIC.matcher(expr);
        boolean any = false;
        while (m.find()) {
          any = true;
          assertThat(exported(base(m.group()))).as("%s names %s, which is not exported", alert, m.group()).isTrue();
        }
        assertThat(any).as("%s names a pipeline metric", alert).isTrue();
      }
    }
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void theOperationsPageListsEveryExportedMetricAndNoOther() throws Exception {
    String page = Files.readString(Path.of("docs/operations.md"));
    for (String name : Help.all().keySet()) {
      if (name.startsWith("dead_letters_") && isReason(name.substring("dead_letters_".length()))) {
        continue; // listed once as dead_letters_<reason>_total
      }
      assertThat(page).as("docs/operations.md lists %s", name).contains("login_enrichment_" + name);
    }
    Matcher m = METRIC.matcher(page);
    while (m.find()) {
      assertThat(exported(base(m.group()))).as("docs/operations.md names %s, which is not exported", m.group()).isTrue();
    }
    assertThat(page).contains("| 75 |");
  }

  private static boolean isReason(String code) {
    for (Reason r : Reason.values()) {
      if (r.code().equals(code)) {
        return true;
      }
    }
    return false;
  }

  private static boolean balanced(String expr) {
    int depth = 0;
    for (char c : expr.toCharArray()) {
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }
}
