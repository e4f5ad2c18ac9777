package io.loginenrichment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options of {@code runner-profiles/<name>}, with overrides (Beam refuses an option twice). */
final class RunnerProfiles {
  private RunnerProfiles() {}

  static List<String> args(String profile, List<String> overrides) throws IOException {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("runner-profiles", profile))) {
      String l = line.trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        byName.put(name(l), l);
      }
    }
    for (String o : overrides) {
      byName.put(name(o), o);
    }
    return new ArrayList<>(byName.values());
  }

  static boolean isSpark(String profile) {
    return profile.startsWith("spark");
  }

  private static String name(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }
}
