package io.loginenrichment.testing;

import io.loginenrichment.model.RawLoginRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The original project's sample data, copied under src/test/resources/fixtures. */
public final class Fixtures {
  private Fixtures() {}

  public static List<String> lines(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CSV rows without the header; the fixtures have no quoted fields. */
  public static List<String[]> csv(String resource) {
    return lines(resource).stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
  }

  /** The malformed events, one per line, without the comment header and blank lines. */
  public static List<String> badEvents() {
    return lines("bad-events.txt").stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** Each line of a JSON-lines fixture as a Kafka record at consecutive offsets of one partition. */
  public static List<RawLoginRecord> records(String topic, List<String> values) {
    List<RawLoginRecord> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      out.add(record(topic, i, values.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  public static RawLoginRecord record(String topic, long offset, byte[] value) {
    return RawLoginRecord.of(topic, 0, offset, null, value);
  }

  /** Values no line file can hold. */
  public static List<byte[]> unprintableBadValues() {
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    return Arrays.asList(
        new byte[0], null, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE}, huge);
  }
}
