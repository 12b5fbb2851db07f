package dev.anomalystream.report;

import java.util.List;
import java.util.Locale;

/** Draws the score histogram of each class with the threshold as a dashed line. */
final class ScoreHistogramChart {
  private ScoreHistogramChart() {}

  /**
   * @param classNames the classes in the order of {@code histogram.shares()}
   * @param scoreName the outlier score, for the axis label
   */
  static String svg(
      ReportFigures.ScoreHistogram histogram,
      List<String> classNames,
      String scoreName,
      double threshold) {
    AxisTicks xTicks = histogram.axis();
    double binWidth = histogram.binWidth();
    SvgPlot plot = new SvgPlot(xTicks, AxisTicks.nice(0, histogram.highestShare() * 100, 5));
    for (int c = 0; c < classNames.size(); c++) {
      String series = "h" + c;
      String color = Palette.forClass(c);
      double[] shares = histogram.shares().get(c);
      for (int bin = 0; bin < shares.length; bin++) {
        double share = shares[bin];
        if (share == 0) {
          continue;
        }
        double from = xTicks.min() + bin * binWidth;
        plot.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"bar\" data-series=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                    + " height=\"%.1f\" fill=\"%s\"><title>%s: %s of scores in [%s, %s)</title>"
                    + "</rect>",
                series,
                plot.x(from) + 0.5,
                plot.y(share * 100),
                Math.max(0.5, plot.x(from + binWidth) - plot.x(from) - 1),
                plot.bottom() - plot.y(share * 100),
                color,
                Html.escape(classNames.get(c)),
                Format.percent(share),
                Format.number(from),
                Format.number(from + binWidth)));
      }
      plot.legend(series, classNames.get(c), color, "box");
    }
    double thresholdX = plot.x(threshold);
    plot.append(
        String.format(
            Locale.ROOT,
            "<line class=\"threshold\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                + "<text class=\"threshold-label\" x=\"%.1f\" y=\"%.1f\">threshold %s</text>",
            thresholdX,
            thresholdX,
            plot.top(),
            plot.bottom(),
            thresholdX + 4,
            plot.top() + 12,
            Html.escape(Format.number(threshold))));
    return plot.render(
        "Histogram of " + scoreName + " scores per class",
        scoreName + " outlier score",
        "share of the class's messages (%)",
        xTicks::format);
  }
}
