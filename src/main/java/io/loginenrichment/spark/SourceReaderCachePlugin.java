package io.loginenrichment.spark;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Installs {@link SourceReaderCache} on every executor as it starts, before it runs a task
 * ({@code spark.plugins}, set by {@link SparkRunnerSetup}).
 */
public final class SourceReaderCachePlugin implements SparkPlugin {
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {
        SourceReaderCache.install();
      }
    };
  }
}
