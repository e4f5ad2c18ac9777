package io.loginenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/*.md, kept true by the code they describe: every relative link reaches a
 * file and, with an anchor, a heading in it; the README's options table lists exactly the options
 * the project's options interfaces declare, with their defaults; the two commands and the flow
 * diagram are on the README's first screen.
 */
class DocsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path README = ROOT.resolve("README.md");
  private static final Path DOCS = ROOT.resolve("docs");
  private static final Path OPTIONS_SOURCES = ROOT.resolve("src/main/java/io/loginenrichment/options");
  private static final String OPTIONS_PACKAGE = "io.loginenrichment.options";
  /** What a newcomer sees without scrolling. */
  private static final int FIRST_SCREEN = 60;

  private static final Pattern FENCE = Pattern.compile("(?m)^\\s*(```|~~~)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
  private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s|$)");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  private static final Pattern OPTION = Pattern.compile("--([A-Za-z][A-Za-z0-9]*)");

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(README);
    try (Stream<Path> docs = Files.list(DOCS)) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  // ---- (a) links ----

  @Test
  void everyRelativeLinkReachesAFileAndItsHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      for (String link : links(Files.readString(page))) {
        if (SCHEME.matcher(link).find()) {
          continue; // http(s), mailto: not ours to check here
        }
        checked++;
        String where = ROOT.relativize(page) + ": (" + link + ")";
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        String anchor = hash < 0 ? null : link.substring(hash + 1);
        Path target =
            file.isEmpty()
                ? page
                : (file.startsWith("/") ? ROOT.resolve(file.substring(1)) : page.getParent().resolve(decode(file)))
                    .normalize();
        if (!target.startsWith(ROOT) || !Files.exists(target)) {
          broken.add(where + " -> no such file " + target);
          continue;
        }
        if (anchor != null) {
          if (!target.toString().endsWith(".md")) {
            broken.add(where + " -> an anchor into a file that is not markdown");
          } else if (!anchors(Files.readString(target)).contains(decode(anchor))) {
            broken.add(where + " -> no heading '#" + anchor + "' in " + ROOT.relativize(target)
                + " (has " + anchors(Files.readString(target)) + ")");
          }
        }
      }
    }
    assertThat(checked).as("links found at all").isGreaterThan(20);
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void theSlugsFollowGitHubsRules() {
    assertThat(slug("What the SparkRunner cannot do, and how the design copes"))
        .isEqualTo("what-the-sparkrunner-cannot-do-and-how-the-design-copes");
    assertThat(slug("The `servers.sh` script: ports & heaps")).isEqualTo("the-serverssh-script-ports--heaps");
    assertThat(slug("Run [the demo](x.md) on *Spark_3*")).isEqualTo("run-the-demo-on-spark_3");
    assertThat(anchors("# A\n```\n# not a heading\n```\n## A\n")).containsExactly("a", "a-1");
  }

  @Test
  void everyDocsPageLinksBackToTheReadmeAndTheReadmeListsEveryPage() throws IOException {
    String documentation = section(Files.readString(README), "Documentation");
    for (Path page : pages()) {
      if (page.equals(README)) {
        continue;
      }
      String name = page.getFileName().toString();
      String text = Files.readString(page);
      assertThat(text).as("%s starts with its title", name).startsWith("# ");
      assertThat(links(text)).as("%s links back to the README", name).anyMatch(l -> l.startsWith("../README.md"));
      assertThat(links(documentation)).as("the README's Documentation section links %s", name).contains("docs/" + name);
    }
  }

  /** Inline links and reference definitions, outside code blocks and code spans. */
  static List<String> links(String markdown) {
    String prose = CODE_SPAN.matcher(withoutFencedCode(markdown)).replaceAll("code");
    List<String> links = new ArrayList<>();
    for (Pattern p : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
      Matcher m = p.matcher(prose);
      while (m.find()) {
        links.add(m.group(1));
      }
    }
    return links;
  }

  /** The anchors GitHub gives a page: one per heading (duplicates numbered), plus HTML anchors. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : withoutFencedCode(markdown).split("\n", -1)) {
      Matcher h = HEADING.matcher(line);
      if (h.matches()) {
        String slug = slug(h.group(2));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
      Matcher a = HTML_ANCHOR.matcher(line);
      while (a.find()) {
        anchors.add(a.group(1));
      }
    }
    return anchors;
  }

  /** GitHub's rule: the heading's text, lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
    text = text.replace("`", "").replace("*", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
  }

  /** The markdown with fenced code blocks blanked out (line count kept). */
  static String withoutFencedCode(String markdown) {
    StringBuilder out = new StringBuilder();
    boolean inFence = false;
    for (String line : markdown.split("\n", -1)) {
      if (FENCE.matcher(line).lookingAt()) {
        inFence = !inFence;
        out.append('\n');
        continue;
      }
      out.append(inFence ? "" : line).append('\n');
    }
    return out.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  // ---- (b) options ----

  /** A row of the README's options table: the options of its first cell and its default cell. */
  record OptionRow(List<String> options, String defaults) {}

  static List<OptionRow> readmeOptionRows() throws IOException {
    List<OptionRow> rows = new ArrayList<>();
    for (String line : section(Files.readString(README), "Options").split("\n")) {
      if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| option")) {
        continue;
      }
      String[] cells = line.split("(?<!\\\\)\\|", -1);
      List<String> options = new ArrayList<>();
      Matcher m = OPTION.matcher(cells[1]);
      while (m.find()) {
        options.add(m.group(1));
      }
      assertThat(options).as("an option in the first cell of: %s", line).isNotEmpty();
      rows.add(new OptionRow(options, cells[2].trim()));
    }
    return rows;
  }

  /** Every getter of the project's options interfaces, as option name, with its @Description/@Default. */
  static Map<String, Method> declaredOptions() throws Exception {
    Map<String, Method> options = new LinkedHashMap<>();
    List<Path> sources;
    try (Stream<Path> files = Files.list(OPTIONS_SOURCES)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    }
    for (Path source : sources) {
      String simple = source.getFileName().toString().replaceFirst("\\.java$", "");
      Class<?> type = Class.forName(OPTIONS_PACKAGE + "." + simple);
      if (!type.isInterface() || !PipelineOptions.class.isAssignableFrom(type)) {
        continue;
      }
      for (Method m : type.getDeclaredMethods()) {
        String property = property(m);
        if (property != null) {
          options.put(property, m);
        }
      }
    }
    return options;
  }

  /** {@code getFooBar}/{@code isFooBar} -> {@code fooBar} (as Beam names it), else null. */
  static String property(Method m) {
    if (m.getParameterCount() != 0 || m.isDefault() || m.isSynthetic()) {
      return null;
    }
    String name = m.getName();
    String rest =
        name.startsWith("get") && name.length() > 3
            ? name.substring(3)
            : name.startsWith("is") && name.length() > 2 ? name.substring(2) : null;
    if (rest == null || !Character.isUpperCase(rest.charAt(0))) {
      return null;
    }
    if (rest.length() > 1 && Character.isUpperCase(rest.charAt(1))) {
      return rest; // getURL -> URL, as java.beans.Introspector.decapitalize
    }
    return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  @Test
  void theReadmeOptionsTableListsExactlyTheProjectsOptions() throws Exception {
    Map<String, Method> declared = declaredOptions();
    Set<String> described = new TreeSet<>();
    declared.forEach((name, getter) -> {
      if (getter.isAnnotationPresent(Description.class)) {
        described.add(name);
      }
    });
    Set<String> listed = new TreeSet<>();
    for (OptionRow row : readmeOptionRows()) {
      listed.addAll(row.options());
    }
    assertThat(described).as("options with @Description in %s", OPTIONS_SOURCES).hasSizeGreaterThan(20);
    Set<String> unknown = new TreeSet<>(listed);
    unknown.removeAll(declared.keySet());
    Set<String> missing = new TreeSet<>(described);
    missing.removeAll(listed);
    assertThat(unknown).as("options in the README's table that no options interface declares").isEmpty();
    assertThat(missing).as("options with @Description missing from the README's table").isEmpty();
  }

  @Test
  void theReadmeOptionsTableGivesTheDefaultsTheCodeHas() throws Exception {
    Map<String, Method> declared = declaredOptions();
    List<String> wrong = new ArrayList<>();
    for (OptionRow row : readmeOptionRows()) {
      // Backticked values outside parentheses, one per option of the row: `spark_db` / `users`;
      // a parenthesis explains, e.g. `0` (off; `9464` in the Spark profiles).
      List<String> values = new ArrayList<>();
      Matcher m = CODE_SPAN.matcher(row.defaults().replaceAll("\\([^)]*\\)", ""));
      while (m.find()) {
        values.add(m.group().substring(1, m.group().length() - 1));
      }
      for (int i = 0; i < row.options().size(); i++) {
        String option = row.options().get(i);
        Method getter = declared.get(option);
        if (getter == null) {
          continue; // reported by the test above
        }
        String actual = defaultOf(getter);
        String documented = values.isEmpty() ? null : values.size() == row.options().size() ? values.get(i) : "?" + values;
        if (actual == null ? documented != null : !actual.equals(documented)) {
          wrong.add("--" + option + ": README says " + documented + ", the code " + actual);
        }
      }
    }
    assertThat(wrong).as("defaults in the README's options table").isEmpty();
  }

  /** The value of the getter's {@code @Default.*} annotation as text, or null without one. */
  static String defaultOf(Method getter) throws Exception {
    for (Annotation a : getter.getAnnotations()) {
      if (a.annotationType().getEnclosingClass() == Default.class) {
        Method value;
        try {
          value = a.annotationType().getMethod("value");
        } catch (NoSuchMethodException e) {
          return a.annotationType().getSimpleName(); // @Default.InstanceFactory: computed
        }
        Object v = value.invoke(a);
        return v instanceof Class<?> c ? c.getSimpleName() : String.valueOf(v);
      }
    }
    return null;
  }

  // ---- (c) the first screen ----

  @Test
  void theReadmesFirstScreenHasBothCommandsAndTheFlow() throws IOException {
    String firstScreen = Files.readAllLines(README).stream().limit(FIRST_SCREEN).collect(Collectors.joining("\n"));
    assertThat(firstScreen)
        .contains("pipelines/login-enrichment/run.sh")
        .contains("mvn -B verify")
        .contains("KafkaIO", "ParseLoginEvents", "EnrichWithUsers", "LatestLoginPerUser", "WriteLastLogin")
        .contains("WriteDeadLetters", "CommitWrittenOffsets");
    // .ci/run is "exactly the README's test command".
    String ciCommand =
        Files.readAllLines(ROOT.resolve(".ci/run")).stream()
            .map(String::trim)
            .filter(l -> l.startsWith("mvn "))
            .findFirst()
            .orElseThrow();
    assertThat(firstScreen).as("CI's command on the first screen").contains(ciCommand);
  }

  // ---- the benchmark results copied into docs/benchmarks.md ----

  @Test
  void theBenchmarkTableIsTheCommittedRunsTable() throws IOException {
    String page = Files.readString(DOCS.resolve("benchmarks.md"));
    int start = page.indexOf("<!-- bench:start -->");
    int end = page.indexOf("<!-- bench:end -->");
    assertThat(start).as("bench:start marker").isNotNegative();
    assertThat(end).as("bench:end marker").isGreaterThan(start);
    List<String> copied = tableRows(page.substring(start, end));
    List<String> run = tableRows(Files.readString(ROOT.resolve("pipelines/bench/results/results.md")));
    assertThat(run).isNotEmpty();
    assertThat(copied).as("docs/benchmarks.md's table, copied from pipelines/bench/results/results.md").isEqualTo(run);
  }

  private static List<String> tableRows(String markdown) {
    return markdown.lines().filter(l -> l.startsWith("|")).collect(Collectors.toList());
  }

  /** From the "## title" heading to the next heading of level 2 or above. */
  static String section(String markdown, String title) {
    List<String> lines = List.of(markdown.split("\n", -1));
    StringBuilder out = new StringBuilder();
    boolean in = false;
    for (String line : withoutFencedCodeLines(lines)) {
      if (line.startsWith("## ") || line.startsWith("# ")) {
        in = line.equals("## " + title);
        continue;
      }
      if (in) {
        out.append(line).append('\n');
      }
    }
    assertThat(out).as("a '## %s' section", title).isNotEmpty();
    return out.toString();
  }

  private static List<String> withoutFencedCodeLines(List<String> lines) {
    return List.of(withoutFencedCode(String.join("\n", lines)).split("\n", -1));
  }
}
