package dev.anomalystream.core.evaluation;

/**
 * Outcomes of a decision on labelled messages, "positive" meaning flagged as anomalous. Ratios with
 * an empty denominator (no message flagged, no anomalous message) are 0, as scikit-learn reports
 * them, so they stay numbers in JSON.
 */
public record ConfusionCounts(
    long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

  /** Share of flagged messages that are anomalous. */
  public double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /** Share of anomalous messages flagged. */
  public double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  public double f1() {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  /** Share of normal messages flagged. */
  public double falseAlarmRate() {
    return ratio(falsePositives, falsePositives + trueNegatives);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
