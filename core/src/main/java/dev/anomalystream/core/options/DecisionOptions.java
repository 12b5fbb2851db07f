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
          + " default: the one the model was calibrated on. hst: Half-Space Trees learned online"
          + " by the detector (with --learn), calibrated when a model version loads")
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
    ScoreKind score = options.getScore();
    if (score != null && !score.calibratedAtTraining()) {
      // the online stage decides on it; the model's own verdict (for windows and topics) keeps the
      // score and threshold it was calibrated on
      return new AnomalyDetector.Overrides(null, options.getDecision(), null);
    }
    return new AnomalyDetector.Overrides(
        score, options.getDecision(), options.getOutlierScoreThreshold());
  }
}
