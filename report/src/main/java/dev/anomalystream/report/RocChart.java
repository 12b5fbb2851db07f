package dev.anomalystream.report;

import dev.anomalystream.core.evaluation.ConfusionCounts;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws the ROC curves, the chance diagonal and the detector's decision at the threshold. */
final class RocChart {
  private RocChart() {}

  /**
   * @param curves the curves to draw, {@link EvaluationReport#ALL_ANOMALOUS} (if present) last
   * @param atThreshold the decision at {@code threshold} on all anomalous messages
   */
  static String svg(Map<String, RocCurve> curves, ConfusionCounts atThreshold, double threshold) {
    AxisTicks unit = AxisTicks.nice(0, 1, 5);
    SvgPlot plot = new SvgPlot(unit, unit);
    plot.append(
        String.format(
            Locale.ROOT,
            "<line class=\"diagonal\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\">"
                + "<title>chance (AUROC 0.5)</title></line>",
            plot.x(0),
            plot.y(0),
            plot.x(1),
            plot.y(1)));
    int index = 0;
    for (Map.Entry<String, RocCurve> entry : curves.entrySet()) {
      boolean pooled = entry.getKey().equals(EvaluationReport.ALL_ANOMALOUS);
      String label = entry.getKey() + " (AUROC " + Format.number(entry.getValue().auroc()) + ")";
      // a set's curve keeps the colour its histogram has
      String color = pooled ? Palette.POOLED : Palette.forClass(index + 1);
      plot.append(
          String.format(
              Locale.ROOT,
              "<polyline class=\"roc-curve\" data-series=\"r%d\" points=\"%s\" stroke=\"%s\""
                  + " stroke-width=\"%s\"><title>%s</title></polyline>",
              index,
              polyline(plot, entry.getValue().points()),
              color,
              pooled ? "2.5" : "1.8",
              Html.escape(label)));
      plot.legend("r" + index, label, color, "line");
      index++;
    }
    plot.append(
        String.format(
            Locale.ROOT,
            "<circle class=\"operating-point\" data-series=\"op\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\">"
                + "<title>threshold %s: false alarm rate %s, recall %s</title></circle>",
            plot.x(atThreshold.falseAlarmRate()),
            plot.y(atThreshold.recall()),
            Html.escape(Format.number(threshold)),
            Format.percent(atThreshold.falseAlarmRate()),
            Format.percent(atThreshold.recall())));
    plot.legend("op", "decision at threshold", Palette.POOLED, "ring");
    return plot.render(
        "ROC curves",
        "false positive rate (normal messages flagged)",
        "true positive rate (anomalies flagged)",
        unit::format);
  }

  /**
   * The curve's points in pixels, leaving out each point less than half a pixel from the last one
   * kept: a curve over tens of thousands of scores then needs at most about two thousand points (it
   * is monotone, so each kept point advances half a pixel along the plot's width or height) and
   * looks the same.
   */
  private static String polyline(SvgPlot plot, List<RocCurve.Point> points) {
    StringBuilder polyline = new StringBuilder();
    double lastX = Double.NaN;
    double lastY = Double.NaN;
    for (int i = 0; i < points.size(); i++) {
      double x = plot.x(points.get(i).falsePositiveRate());
      double y = plot.y(points.get(i).truePositiveRate());
      boolean last = i == points.size() - 1;
      if (i == 0 || last || Math.abs(x - lastX) >= 0.5 || Math.abs(y - lastY) >= 0.5) {
        polyline.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        lastX = x;
        lastY = y;
      }
    }
    return polyline.toString().trim();
  }
}
