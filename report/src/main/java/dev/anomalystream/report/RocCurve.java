package dev.anomalystream.report;

import dev.anomalystream.core.evaluation.ScoreEvaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ROC curve of an outlier score, normal messages being the negatives and anomalous ones the
 * positives: one point per distinct score, lowering the threshold from above the highest score
 * (nothing flagged, (0, 0)) to below the lowest (everything flagged, (1, 1)). Equal scores move the
 * curve diagonally at once, so the trapezoid area under these points equals {@link #auroc()}, which
 * counts ties as one half.
 *
 * @param points from (0, 0) to (1, 1), false positive rate and true positive rate never decreasing
 * @param auroc the area under the curve
 */
public record RocCurve(List<Point> points, double auroc) {

  public record Point(double falsePositiveRate, double truePositiveRate) {}

  public RocCurve {
    points = List.copyOf(points);
  }

  /**
   * @throws IllegalArgumentException when either side is empty or holds a NaN
   */
  public static RocCurve of(double[] normalScores, double[] anomalousScores) {
    double auroc = new ScoreEvaluation(normalScores, anomalousScores).auroc();
    double[] normal = sortedDescending(normalScores);
    double[] anomalous = sortedDescending(anomalousScores);
    List<Point> points = new ArrayList<>();
    points.add(new Point(0, 0));
    int flaggedNormal = 0;
    int flaggedAnomalous = 0;
    while (flaggedNormal < normal.length || flaggedAnomalous < anomalous.length) {
      double next =
          Math.max(
              flaggedNormal < normal.length ? normal[flaggedNormal] : Double.NEGATIVE_INFINITY,
              flaggedAnomalous < anomalous.length
                  ? anomalous[flaggedAnomalous]
                  : Double.NEGATIVE_INFINITY);
      while (flaggedNormal < normal.length && normal[flaggedNormal] == next) {
        flaggedNormal++;
      }
      while (flaggedAnomalous < anomalous.length && anomalous[flaggedAnomalous] == next) {
        flaggedAnomalous++;
      }
      points.add(
          new Point(
              (double) flaggedNormal / normal.length,
              (double) flaggedAnomalous / anomalous.length));
    }
    return new RocCurve(points, auroc);
  }

  private static double[] sortedDescending(double[] scores) {
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
      double swap = sorted[i];
      sorted[i] = sorted[j];
      sorted[j] = swap;
    }
    return sorted;
  }
}
