package dev.anomalystream.report;

import dev.anomalystream.core.evaluation.ConfusionCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the precision-recall curve of all anomalous messages against the normal ones, and the
 * detector's decision at its threshold: how a threshold chosen by another method (a false-alarm
 * rate, a percentile, the best F1 on a few labelled anomalies) trades one for the other on this
 * data.
 */
final class PrecisionRecallChart {
  private PrecisionRecallChart() {}

  /**
   * The curve's points as (recall, precision), one per point of the ROC curve that flags something:
   * a ROC point flags {@code fpr * normal} normal and {@code tpr * anomalous} anomalous messages.
   */
  static List<double[]> points(RocCurve roc, long normal, long anomalous) {
    List<double[]> points = new ArrayList<>();
    for (RocCurve.Point point : roc.points()) {
      double truePositives = point.truePositiveRate() * anomalous;
      double flagged = truePositives + point.falsePositiveRate() * normal;
      if (flagged > 0) {
        points.add(new double[] {point.truePositiveRate(), truePositives / flagged});
      }
    }
    return points;
  }

  /**
   * @param pooled the ROC curve of all anomalous messages
   * @param atThreshold the decision at {@code threshold} on all of them
   */
  static String svg(RocCurve pooled, ConfusionCounts atThreshold, double threshold) {
    long normal = atThreshold.falsePositives() + atThreshold.trueNegatives();
    long anomalous = atThreshold.truePositives() + atThreshold.falseNegatives();
    AxisTicks unit = AxisTicks.nice(0, 1, 5);
    SvgPlot plot = new SvgPlot(unit, unit);
    StringBuilder polyline = new StringBuilder();
    double lastX = Double.NaN;
    double lastY = Double.NaN;
    List<double[]> points = points(pooled, normal, anomalous);
    for (int i = 0; i < points.size(); i++) {
      double x = plot.x(points.get(i)[0]);
      double y = plot.y(points.get(i)[1]);
      // as RocChart: points under half a pixel from the last kept one look the same
      if (i == 0
          || i == points.size() - 1
          || Math.abs(x - lastX) >= 0.5
          || Math.abs(y - lastY) >= 0.5) {
        polyline.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        lastX = x;
        lastY = y;
      }
    }
    String label = EvaluationReport.ALL_ANOMALOUS;
    plot.append(
        String.format(
            Locale.ROOT,
            "<polyline class=\"pr-curve\" data-series=\"p0\" points=\"%s\" stroke=\"%s\""
                + " stroke-width=\"2.5\"><title>%s</title></polyline>",
            polyline.toString().trim(),
            Palette.POOLED,
            Html.escape(label)));
    plot.legend("p0", label, Palette.POOLED, "line");
    plot.append(
        String.format(
            Locale.ROOT,
            "<circle class=\"operating-point\" data-series=\"op\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\">"
                + "<title>threshold %s: recall %s, precision %s</title></circle>",
            plot.x(atThreshold.recall()),
            plot.y(atThreshold.precision()),
            Html.escape(Format.number(threshold)),
            Format.percent(atThreshold.recall()),
            Format.percent(atThreshold.precision())));
    plot.legend("op", "decision at threshold", Palette.POOLED, "ring");
    return plot.render(
        "Precision-recall curve",
        "recall (anomalies flagged)",
        "precision (flagged messages that are anomalies)",
        unit::format);
  }
}
