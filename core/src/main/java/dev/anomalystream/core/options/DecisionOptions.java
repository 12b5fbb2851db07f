package dev.anomalystream.core.options;

import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ScoreKind;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How a stored model decides: each option left out keeps what the model was calibrated with, so the
 * detector and the evaluation apply the same rule to the same flags.
 */
public interface DecisionOptions extends PipelineOptions {
  @Description(
      "Score the threshold applies to: glosh, knn or autoencoder (versions trained with one);"
          + " default: the one the model was calibrated on")
  ScoreKind getScore();

  void setScore(ScoreKind value);

  @Description(
      "threshold (or score; the default): is_anomaly = score > threshold; cluster: is_anomaly ="
          + " cluster == -1")
  DecisionRule getDecision();

  void setDecision(DecisionRule value);

  @Description("Threshold overriding the model's calibrated one; default: the model's")
  Double getOutlierScoreThreshold();

  void setOutlierScoreThreshold(Double value);

  /** The options as the detector's overrides of the stored model's decision. */
  static AnomalyDetector.Overrides overrides(DecisionOptions options) {
    return new AnomalyDetector.Overrides(
        options.getScore(), options.getDecision(), options.getOutlierScoreThreshold());
  }
}
