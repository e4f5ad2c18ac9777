package com.codahale.metrics;

/**
 * Compatibility shim, not a reporter: the Cassandra driver 3.x that CassandraIO uses starts a
 * {@code com.codahale.metrics.JmxReporter} (metrics-core 3.x) for every Cluster it builds, and
 * CassandraIO offers no way to turn that off. Spark brings metrics-core 4.x, where that class
 * moved to {@code com.codahale.metrics.jmx}, so every write failed with NoClassDefFoundError.
 * This class provides the few members the driver calls and publishes nothing: driver metrics
 * stay available in-process, only their JMX export is gone. Where metrics-core 3.x is on the
 * classpath this class shadows the real one with the same effect.
 */
public final class JmxReporter implements java.io.Closeable {

  private JmxReporter() {}

  public static Builder forRegistry(MetricRegistry registry) {
    return new Builder();
  }

  public void start() {}

  public void stop() {}

  @Override
  public void close() {}

  /** The builder calls the driver makes. */
  public static final class Builder {
    private Builder() {}

    public Builder inDomain(String domain) {
      return this;
    }

    public JmxReporter build() {
      return new JmxReporter();
    }
  }
}
