package dev.anomalystream.core.evaluation;

import java.util.Arrays;

/**
 * How well an outlier score separates anomalous from normal messages, where a higher score means
 * more anomalous and a message is flagged when {@code score > threshold}.
 */
public final class ScoreEvaluation {
  private final double[] normalScores;
  private final double[] anomalousScores;

  /** The best F1 any threshold reaches, and that threshold. */
  public record BestF1(double threshold, ConfusionCounts counts) {}

  /**
   * @throws IllegalArgumentException when either side is empty or holds a NaN
   */
  public ScoreEvaluation(double[] normalScores, double[] anomalousScores) {
    this.normalScores = requireScores(normalScores, "normal");
    this.anomalousScores = requireScores(anomalousScores, "anomalous");
  }

  public int normalCount() {
    return normalScores.length;
  }

  public int anomalousCount() {
    return anomalousScores.length;
  }

  /**
   * The area under the ROC curve: the chance that an anomalous message scores above a normal one, a
   * tie counting one half (the Mann–Whitney statistic with mid-ranks).
   */
  public double auroc() {
    int total = normalScores.length + anomalousScores.length;
    double[] scores = new double[total];
    boolean[] anomalous = new boolean[total];
    Integer[] order = sortedOrder(scores, anomalous);
    double anomalousRankSum = 0;
    for (int start = 0; start < total; ) {
      int end = start;
      while (end + 1 < total && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      // ranks are 1-based; tied scores share the mean of the ranks they span
      double midRank = (start + end) / 2.0 + 1;
      for (int i = start; i <= end; i++) {
        if (anomalous[order[i]]) {
          anomalousRankSum += midRank;
        }
      }
      start = end + 1;
    }
    double a = anomalousScores.length;
    return (anomalousRankSum - a * (a + 1) / 2) / (a * normalScores.length);
  }

  /** The outcome of flagging every message whose score is above {@code threshold}. */
  public ConfusionCounts at(double threshold) {
    long truePositives = Arrays.stream(anomalousScores).filter(s -> s > threshold).count();
    long falsePositives = Arrays.stream(normalScores).filter(s -> s > threshold).count();
    return new ConfusionCounts(
        truePositives,
        falsePositives,
        normalScores.length - falsePositives,
        anomalousScores.length - truePositives);
  }

  /**
   * The threshold with the highest F1. Only thresholds between distinct scores matter; the one
   * reported is the midpoint between the lowest flagged score and the next lower one (just below
   * the lowest score when everything is flagged), so {@code score > threshold} reproduces it.
   */
  public BestF1 bestF1() {
    int total = normalScores.length + anomalousScores.length;
    double[] scores = new double[total];
    boolean[] anomalous = new boolean[total];
    Integer[] order = sortedOrder(scores, anomalous);
    long truePositives = 0;
    long falsePositives = 0;
    BestF1 best = null;
    // walk from the highest score down, flagging one group of equal scores at a time
    for (int end = total - 1; end >= 0; ) {
      int start = end;
      while (start - 1 >= 0 && scores[order[start - 1]] == scores[order[end]]) {
        start--;
      }
      for (int i = start; i <= end; i++) {
        if (anomalous[order[i]]) {
          truePositives++;
        } else {
          falsePositives++;
        }
      }
      double lowestFlagged = scores[order[start]];
      double threshold =
          start == 0
              ? Math.nextDown(lowestFlagged)
              : (lowestFlagged + scores[order[start - 1]]) / 2;
      ConfusionCounts counts =
          new ConfusionCounts(
              truePositives,
              falsePositives,
              normalScores.length - falsePositives,
              anomalousScores.length - truePositives);
      if (best == null || counts.f1() > best.counts().f1()) {
        best = new BestF1(threshold, counts);
      }
      end = start - 1;
    }
    return best;
  }

  /** Fills {@code scores} and {@code anomalous} with both sides and returns indices by score. */
  private Integer[] sortedOrder(double[] scores, boolean[] anomalous) {
    System.arraycopy(normalScores, 0, scores, 0, normalScores.length);
    System.arraycopy(anomalousScores, 0, scores, normalScores.length, anomalousScores.length);
    Arrays.fill(anomalous, normalScores.length, scores.length, true);
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
    return order;
  }

  private static double[] requireScores(double[] scores, String side) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("no " + side + " scores to evaluate");
    }
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException(side + " score " + i + " is NaN");
      }
    }
    return scores.clone();
  }
}
