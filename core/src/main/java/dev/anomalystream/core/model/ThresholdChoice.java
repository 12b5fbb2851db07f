package dev.anomalystream.core.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * How the trainer sets the chosen score's threshold, with the method's inputs.
 *
 * @param method the method
 * @param percentile for {@link ThresholdMethod#PERCENTILE}, in (0, 100)
 * @param labelledAnomaliesSource for {@link ThresholdMethod#BEST_F1}: where the labelled anomalies
 *     came from (a file), recorded in the metadata
 * @param labelledAnomalies for {@link ThresholdMethod#BEST_F1}: their L2-normalised embeddings,
 *     used for the threshold only
 */
public record ThresholdChoice(
    ThresholdMethod method,
    double percentile,
    String labelledAnomaliesSource,
    float[][] labelledAnomalies)
    implements Serializable {
  /** The default: the conformal threshold for the target false-alarm rate. */
  public static final ThresholdChoice FALSE_ALARM =
      new ThresholdChoice(ThresholdMethod.FALSE_ALARM, 99, null, null);

  /**
   * Fewer labelled anomalies than this draw a warning that the best-F1 threshold likely overfits
   * them.
   */
  public static final int FEW_LABELLED_ANOMALIES = 50;

  public ThresholdChoice {
    Objects.requireNonNull(method, "method");
    if (method == ThresholdMethod.PERCENTILE && !(percentile > 0 && percentile < 100)) {
      throw new IllegalArgumentException("the percentile must be in (0, 100), was " + percentile);
    }
    if (method == ThresholdMethod.BEST_F1
        && (labelledAnomalies == null || labelledAnomalies.length == 0)) {
      throw new IllegalArgumentException(
          "the best-f1 threshold needs labelled anomalies: scripts/train --labelledAnomalies=FILE");
    }
  }
}
