package io.loginenrichment.options;

import org.apache.beam.sdk.options.StreamingOptions;

/** Every option of the pipeline; print them with {@code --help}. */
public interface LoginEnrichmentOptions
    extends KafkaOptions,
        WindowingOptions,
        CassandraOptions,
        DeadLetterOptions,
        MonitoringOptions,
        StreamingOptions {}
