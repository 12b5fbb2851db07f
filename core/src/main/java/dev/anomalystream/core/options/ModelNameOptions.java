package dev.anomalystream.core.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The name of a model in a model store, shared by every tool that reads or writes one. */
public interface ModelNameOptions extends PipelineOptions {
  String DEFAULT_MODEL_NAME = "tweets";

  @Description("Model name in the store: versions live under <model store root>/<modelName>/")
  @Default.String(DEFAULT_MODEL_NAME)
  String getModelName();

  void setModelName(String value);
}
