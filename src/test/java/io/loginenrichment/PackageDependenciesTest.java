package io.loginenrichment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code src/main} form layers: each may use those below it, never one that uses it
 * back, so a package can be read (and tested) with only what is below it in mind. Read from the
 * source's imports and qualified names in code (not in comments or strings).
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java/io/loginenrichment");
  private static final Pattern USE = Pattern.compile("\\bio\\.loginenrichment\\.(?:([a-z]+)\\.)?[A-Z]");
  private static final Pattern COMMENT_OR_STRING =
      Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

  /** package -> the project packages it uses ("" is the entry package). */
  static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path dir = SOURCES.relativize(file.getParent());
        String pkg = dir.toString().replace('/', '.');
        Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
        Matcher m = USE.matcher(COMMENT_OR_STRING.matcher(Files.readString(file)).replaceAll(" "));
        while (m.find()) {
          String target = m.group(1) == null ? "" : m.group(1);
          if (!target.equals(pkg)) {
            used.add(target);
          }
        }
      }
    }
    return uses;
  }

  @Test
  void noPackageUsesAPackageThatUsesItBack() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    List<String> loops = new ArrayList<>();
    for (String from : uses.keySet()) {
      for (String to : uses.get(from)) {
        List<String> back = path(uses, to, from, new TreeSet<>());
        if (back != null) {
          loops.add(name(from) + " -> " + String.join(" -> ", back.stream().map(PackageDependenciesTest::name).toList()));
        }
      }
    }
    assertThat(loops).as("package loops").isEmpty();
  }

  @Test
  void theModelAndTheMetricsUseNothingAboveThem() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    assertThat(uses.get("util")).isEmpty();
    assertThat(uses.get("coders")).isEmpty();
    assertThat(uses.get("model")).isSubsetOf("util", "coders");
    assertThat(uses.get("metrics")).containsOnly("model");
    assertThat(uses.get("options")).isEmpty();
    assertThat(uses.get("parse")).doesNotContain("transforms", "kafka", "cassandra", "");
  }

  @Test
  void theCheckSeesALoop() {
    Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"));
    assertThat(path(uses, "b", "a", new TreeSet<>())).containsExactly("b", "c", "a");
  }

  /** A path of uses from {@code from} to {@code to}, or null. */
  private static List<String> path(Map<String, Set<String>> uses, String from, String to, Set<String> seen) {
    if (from.equals(to)) {
      return new ArrayList<>(List.of(to));
    }
    if (!seen.add(from)) {
      return null;
    }
    for (String next : uses.getOrDefault(from, Set.of())) {
      List<String> rest = path(uses, next, to, seen);
      if (rest != null) {
        rest.add(0, from);
        return rest;
      }
    }
    return null;
  }

  private static String name(String pkg) {
    return pkg.isEmpty() ? "(entry)" : pkg;
  }
}
