package io.loginenrichment.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, from Linux's {@code /proc/<pid>/status}. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** VmHWM (peak resident set) in bytes; 0 if the process is gone or this is not Linux. */
  public static long peakRssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  /** Peak RSS of a server started by servers.sh, from its pid file (0 if not running). */
  public static long serverPeakRssBytes(Path pidFile) {
    try {
      return peakRssBytes(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
