package dev.anomalystream.report;

import java.util.List;
import java.util.Locale;

/**
 * Draws the embeddings on their first two principal components, one colour per class, flagged
 * messages ringed; hovering a point shows its message.
 */
final class ProjectionChart {
  // long messages are cut in the hover text so a tooltip stays readable
  private static final int TOOLTIP_TEXT_LIMIT = 160;

  private ProjectionChart() {}

  /**
   * @param points a non-empty projection
   * @param classNames every class, normal first; its index picks the colour
   */
  static String svg(List<ProjectedPoint> points, List<String> classNames) {
    AxisTicks xTicks =
        AxisTicks.nice(
            points.stream().mapToDouble(ProjectedPoint::x).min().orElseThrow(),
            points.stream().mapToDouble(ProjectedPoint::x).max().orElseThrow(),
            8);
    AxisTicks yTicks =
        AxisTicks.nice(
            points.stream().mapToDouble(ProjectedPoint::y).min().orElseThrow(),
            points.stream().mapToDouble(ProjectedPoint::y).max().orElseThrow(),
            6);
    SvgPlot plot = new SvgPlot(xTicks, yTicks);
    // normal points first so the rarer anomalous ones are drawn on top of them
    for (int c = 0; c < classNames.size(); c++) {
      String className = classNames.get(c);
      String color = Palette.forClass(c);
      boolean present = false;
      for (ProjectedPoint p : points) {
        if (!p.className().equals(className)) {
          continue;
        }
        present = true;
        String text = p.text() == null ? "" : "\n" + shorten(p.text());
        plot.append(
            String.format(
                Locale.ROOT,
                "<circle class=\"point%s\" data-series=\"p%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\""
                    + " fill=\"%s\"><title>%s · %s%s</title></circle>",
                p.flagged() ? " flagged" : "",
                c,
                plot.x(p.x()),
                plot.y(p.y()),
                p.flagged() ? "3.6" : "2.6",
                color,
                Html.escape(className),
                p.flagged() ? "flagged" : "not flagged",
                Html.escape(text)));
      }
      if (present) {
        plot.legend("p" + c, className, color, "box");
      }
    }
    plot.legend(null, "flagged (ring)", Palette.POOLED, "ring");
    return plot.render(
        "Scatter of embeddings by class",
        "principal component 1",
        "principal component 2",
        xTicks::format);
  }

  private static String shorten(String text) {
    return text.length() <= TOOLTIP_TEXT_LIMIT
        ? text
        : text.substring(0, TOOLTIP_TEXT_LIMIT - 1) + "…";
  }
}
