package dev.anomalystream.core.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the Kafka broker is, for every pipeline that can use Kafka as its {@link MessageBus}. */
public interface KafkaOptions extends PipelineOptions {
  @Description(
      "Kafka bootstrap servers, host:port[,host:port...]; required when the message bus is kafka"
          + " (ingest --sink=kafka, detect --source=kafka; scripts/kafka start prints a local one)")
  String getBootstrapServers();

  void setBootstrapServers(String value);
}
