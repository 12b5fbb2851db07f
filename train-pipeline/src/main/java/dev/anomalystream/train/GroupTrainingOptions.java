package dev.anomalystream.train;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What per-group training shares between retraining and {@code scripts/train}. */
public interface GroupTrainingOptions extends PipelineOptions {
  @Description(
      "With groups: a group with fewer training rows than this gets no model of its own (its"
          + " messages are scored by the global model)")
  @Default.Integer(200)
  int getMinGroupSize();

  void setMinGroupSize(int value);
}
