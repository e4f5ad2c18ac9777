package io.loginenrichment.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * A map in its keys' natural order: the size as a variable-length int (Beam's {@code
 * SortedMapCoder} spends four bytes on it), then each key and value. The order is the keys', not
 * the map's history, so it is deterministic when the key and value coders are (and the keys'
 * order agrees with their equals).
 */
public final class TreeMapCoder<K extends Comparable<? super K>, V> extends StructuredCoder<TreeMap<K, V>> {
  private static final VarIntCoder SIZE = VarIntCoder.of();

  private final Coder<K> keyCoder;
  private final Coder<V> valueCoder;

  private TreeMapCoder(Coder<K> keyCoder, Coder<V> valueCoder) {
    this.keyCoder = keyCoder;
    this.valueCoder = valueCoder;
  }

  public static <K extends Comparable<? super K>, V> TreeMapCoder<K, V> of(Coder<K> keyCoder, Coder<V> valueCoder) {
    return new TreeMapCoder<>(keyCoder, valueCoder);
  }

  @Override
  public void encode(TreeMap<K, V> map, OutputStream out) throws IOException {
    if (map.comparator() != null) {
      // Decoding rebuilds the natural order; another order would not survive the round trip.
      throw new CoderException("only maps in their keys' natural order are encoded, not " + map.comparator());
    }
    SIZE.encode(map.size(), out);
    for (Map.Entry<K, V> e : map.entrySet()) {
      keyCoder.encode(e.getKey(), out);
      valueCoder.encode(e.getValue(), out);
    }
  }

  @Override
  public TreeMap<K, V> decode(InputStream in) throws IOException {
    TreeMap<K, V> map = new TreeMap<>();
    int size = SIZE.decode(in);
    for (int i = 0; i < size; i++) {
      map.put(keyCoder.decode(in), valueCoder.decode(in));
    }
    return map;
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(keyCoder, valueCoder);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "a map in key order is deterministic when its keys and values are", keyCoder, valueCoder);
  }

  @Override
  public boolean consistentWithEquals() {
    return keyCoder.consistentWithEquals() && valueCoder.consistentWithEquals();
  }
}
