package dev.anomalystream.core.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The attribute that names a message's group, for the pipelines that carry it (ingest publishes it,
 * the detector routes by it, training fits a model per group of it).
 */
public interface GroupOptions extends PipelineOptions {
  @Description(
      "Message attribute (Pub/Sub attribute, Kafka header, history column 'group') naming the"
          + " group a message belongs to, e.g. channel or customer; each group with enough history"
          + " gets a model of its own. Unset: one global model")
  String getGroupAttribute();

  void setGroupAttribute(String value);
}
