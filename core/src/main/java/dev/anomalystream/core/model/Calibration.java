package dev.anomalystream.core.model;

import dev.anomalystream.core.evaluation.ScoreEvaluation;
import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * A decision threshold set from outlier scores of normal messages held out of the fit: a message is
 * anomalous when {@code score > threshold}.
 *
 * <p>The threshold is the {@code ceil((n + 1)(1 - target))}-th smallest of the n normal scores (the
 * split-conformal rank), not the plain empirical quantile: for a new normal message drawn like the
 * held-out ones, the chance of a score above it is then at most the target whatever the score
 * distribution, while the plain quantile falls a little short of that on average. When n is too
 * small for the target (n + 1 &lt; 1 / target) the rank passes n and the threshold is the largest
 * score, the strictest the data allows.
 *
 * <p>The false-alarm rate on the scores the threshold was set from is at most the target by
 * construction, so it cannot show whether the calibration will hold on new messages. The
 * cross-checked rate can: the scores are split in two halves, a threshold is set on each half the
 * same way and measured on the other, and the two rates are averaged. With too few scores or scores
 * that do not come from one distribution it lands well above the target.
 *
 * @param threshold anomalous when a score is above it
 * @param targetFalseAlarmRate the share of normal messages that may be flagged
 * @param calibrationSetSize how many normal scores it was set from
 * @param achievedFalseAlarmRate the share of those scores above the threshold (ties with the
 *     threshold are not above it, so this can be below the target)
 * @param crossCheckedFalseAlarmRate the false-alarm rate of half-set thresholds on the other half,
 *     an estimate of the rate on new normal messages; NaN with fewer than two scores
 */
public record Calibration(
    double threshold,
    double targetFalseAlarmRate,
    int calibrationSetSize,
    double achievedFalseAlarmRate,
    double crossCheckedFalseAlarmRate) {

  public static final double DEFAULT_TARGET_FALSE_ALARM_RATE = 0.01;

  /**
   * @param normalScores outlier scores of normal messages the model was not fitted on
   * @param targetFalseAlarmRate in (0, 1)
   * @throws IllegalArgumentException when there are no scores, a score is not finite, or the target
   *     is outside (0, 1)
   */
  public static Calibration fromNormalScores(double[] normalScores, double targetFalseAlarmRate) {
    if (!(targetFalseAlarmRate > 0 && targetFalseAlarmRate < 1)) {
      throw new IllegalArgumentException(
          "the target false-alarm rate must be in (0, 1), was " + targetFalseAlarmRate);
    }
    requireScores(normalScores);
    double threshold = conformalThreshold(normalScores, targetFalseAlarmRate);
    return new Calibration(
        threshold,
        targetFalseAlarmRate,
        normalScores.length,
        falseAlarmRate(normalScores, threshold),
        crossChecked(normalScores, half -> conformalThreshold(half, targetFalseAlarmRate)));
  }

  /**
   * The plain empirical {@code percentile} of the normal scores (the nearest rank, {@code ceil(n p
   * / 100)}-th smallest), the threshold of {@link ThresholdMethod#PERCENTILE}: a little below the
   * conformal threshold for the same rate, so new normal messages are flagged a little more often
   * than {@code 1 - p / 100} on average. The cross-check uses the same rule.
   *
   * @param percentile in (0, 100)
   */
  public static Calibration atPercentile(double[] normalScores, double percentile) {
    if (!(percentile > 0 && percentile < 100)) {
      throw new IllegalArgumentException("the percentile must be in (0, 100), was " + percentile);
    }
    double target = 1 - percentile / 100;
    requireScores(normalScores);
    double threshold = percentileThreshold(normalScores, target);
    return new Calibration(
        threshold,
        target,
        normalScores.length,
        falseAlarmRate(normalScores, threshold),
        crossChecked(normalScores, half -> percentileThreshold(half, target)));
  }

  /**
   * The threshold with the best F1 between held-out normal scores and the scores of a few labelled
   * anomalies, the threshold of {@link ThresholdMethod#BEST_F1}. With a handful of anomalies the
   * threshold follows those few and may not hold for others. The false-alarm rate reached on the
   * normal scores is recorded against {@code targetFalseAlarmRate}; there is no cross-check (NaN).
   */
  public static Calibration bestF1(
      double[] normalScores, double[] anomalyScores, double targetFalseAlarmRate) {
    requireScores(normalScores);
    if (anomalyScores.length == 0) {
      throw new IllegalArgumentException(
          "the best-F1 threshold needs at least one labelled anomaly");
    }
    double threshold = new ScoreEvaluation(normalScores, anomalyScores).bestF1().threshold();
    return new Calibration(
        threshold,
        targetFalseAlarmRate,
        normalScores.length,
        falseAlarmRate(normalScores, threshold),
        Double.NaN);
  }

  private static void requireScores(double[] normalScores) {
    if (normalScores.length == 0) {
      throw new IllegalArgumentException("calibration needs at least one normal score");
    }
    for (int i = 0; i < normalScores.length; i++) {
      if (!Double.isFinite(normalScores[i])) {
        throw new IllegalArgumentException(
            "normal score " + i + " is " + normalScores[i] + ", not a finite number");
      }
    }
  }

  private static double percentileThreshold(double[] scores, double target) {
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    long rank = (long) Math.ceil(sorted.length * (1 - target) - 1e-9);
    return sorted[(int) Math.max(1, Math.min(rank, sorted.length)) - 1];
  }

  private static double conformalThreshold(double[] scores, double targetFalseAlarmRate) {
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    // the epsilon keeps a product that is whole on paper, e.g. 100 * 0.99, from rounding up
    long rank = (long) Math.ceil((n + 1) * (1 - targetFalseAlarmRate) - 1e-9);
    return sorted[(int) Math.min(rank, n) - 1];
  }

  /**
   * Splits by index parity: callers hold out a random slice, so its order carries no signal.
   *
   * @param rule the threshold a set of scores gives
   */
  private static double crossChecked(double[] scores, ToDoubleFunction<double[]> rule) {
    if (scores.length < 2) {
      return Double.NaN;
    }
    double[] even =
        IntStream.range(0, (scores.length + 1) / 2).mapToDouble(i -> scores[2 * i]).toArray();
    double[] odd =
        IntStream.range(0, scores.length / 2).mapToDouble(i -> scores[2 * i + 1]).toArray();
    double evenOnOdd = falseAlarmRate(odd, rule.applyAsDouble(even));
    double oddOnEven = falseAlarmRate(even, rule.applyAsDouble(odd));
    return (evenOnOdd + oddOnEven) / 2;
  }

  /** The share of {@code scores} strictly above {@code threshold}. */
  public static double falseAlarmRate(double[] scores, double threshold) {
    long above = Arrays.stream(scores).filter(score -> score > threshold).count();
    return (double) above / scores.length;
  }
}
