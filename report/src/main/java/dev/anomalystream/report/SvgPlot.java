package dev.anomalystream.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The frame every chart class draws in, as an inline SVG element: a plotting area with linear
 * scales, axes with ticks, grid lines, axis labels and a legend. Charts add their marks with {@link
 * #append}, using {@link #x} and {@link #y} to map data to pixels. The page inserts the SVG as it
 * is, so every text is escaped where it is written: the labels and legend here, the marks' hover
 * titles by the chart that appends them.
 */
final class SvgPlot {
  private static final double WIDTH = 640;
  private static final double HEIGHT = 400;
  private static final double LEFT = 64;
  private static final double RIGHT = 20;
  private static final double TOP = 48;
  private static final double LEGEND_ROW_HEIGHT = 17;
  // an estimate of the average glyph advance of the 11 px legend font, to wrap legend rows
  private static final double CHARACTER_WIDTH = 6.3;
  private static final double BOTTOM = 52;

  private final AxisTicks xTicks;
  private final AxisTicks yTicks;
  private final StringBuilder marks = new StringBuilder();
  private final List<LegendEntry> legend = new ArrayList<>();

  private record LegendEntry(String seriesId, String label, String color, String swatch) {}

  SvgPlot(AxisTicks xTicks, AxisTicks yTicks) {
    this.xTicks = xTicks;
    this.yTicks = yTicks;
  }

  double x(double value) {
    return LEFT + (value - xTicks.min()) / (xTicks.max() - xTicks.min()) * (WIDTH - LEFT - RIGHT);
  }

  double y(double value) {
    return HEIGHT
        - BOTTOM
        - (value - yTicks.min()) / (yTicks.max() - yTicks.min()) * (HEIGHT - TOP - BOTTOM);
  }

  double top() {
    return TOP;
  }

  double bottom() {
    return HEIGHT - BOTTOM;
  }

  SvgPlot append(String svg) {
    marks.append(svg).append('\n');
    return this;
  }

  /**
   * Adds a legend entry; {@code seriesId} ties it to the marks carrying the same {@code
   * data-series}, which the page script hides or shows when the entry is clicked. A null {@code
   * seriesId} makes a key that toggles nothing, e.g. for a marking shared by all series.
   *
   * @param swatch "box", "line" or "ring"
   */
  SvgPlot legend(String seriesId, String label, String color, String swatch) {
    legend.add(new LegendEntry(seriesId, label, color, swatch));
    return this;
  }

  /** The finished SVG element. */
  String render(String ariaLabel, String xLabel, String yLabel, DoubleFunction<String> xTickLabel) {
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\">%n",
            WIDTH,
            HEIGHT,
            Html.escape(ariaLabel)));
    for (double value : yTicks.values()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                  + "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
              LEFT,
              WIDTH - RIGHT,
              y(value),
              y(value),
              LEFT - 6,
              y(value) + 4,
              Html.escape(yTicks.format(value))));
    }
    for (double value : xTicks.values()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                  + "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
              x(value),
              x(value),
              bottom(),
              bottom() + 5,
              x(value),
              bottom() + 18,
              Html.escape(xTickLabel.apply(value))));
    }
    svg.append(marks);
    svg.append(
        String.format(
            Locale.ROOT,
            "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>%n"
                + "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>%n",
            LEFT,
            WIDTH - RIGHT,
            bottom(),
            bottom(),
            LEFT,
            LEFT,
            TOP,
            bottom()));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n"
                + "<text class=\"label\" transform=\"translate(16 %.1f) rotate(-90)\""
                + " text-anchor=\"middle\">%s</text>%n",
            (LEFT + WIDTH - RIGHT) / 2,
            HEIGHT - 12,
            Html.escape(xLabel),
            (TOP + bottom()) / 2,
            Html.escape(yLabel)));
    renderLegend(svg);
    return svg.append("</svg>").toString();
  }

  /**
   * Lays the legend out in rows above the plotting area, where it cannot hide data or the threshold
   * label; the top margin holds two rows, enough for six entries of typical length.
   */
  private void renderLegend(StringBuilder svg) {
    double left = LEFT;
    double baseline = 14;
    for (LegendEntry entry : legend) {
      double width = 26 + entry.label().length() * CHARACTER_WIDTH + 18;
      if (left > LEFT && left + width > WIDTH - RIGHT) {
        left = LEFT;
        baseline += LEGEND_ROW_HEIGHT;
      }
      double middle = baseline - 4;
      String swatch =
          switch (entry.swatch()) {
            case "line" ->
                String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                        + " stroke-width=\"2.5\"/>",
                    left,
                    left + 18,
                    middle,
                    middle,
                    entry.color());
            case "ring" ->
                String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"none\" stroke=\"%s\""
                        + " stroke-width=\"1.6\"/>",
                    left + 9,
                    middle,
                    entry.color());
            default ->
                String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\""
                        + " fill-opacity=\"0.75\"/>",
                    left + 3,
                    middle - 6,
                    entry.color());
          };
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"%s\">%s<text x=\"%.1f\" y=\"%.1f\">%s</text></g>%n",
              entry.seriesId() == null
                  ? "legend-key"
                  : "legend-item\" data-series=\"" + Html.escape(entry.seriesId()),
              swatch,
              left + 24,
              baseline,
              Html.escape(entry.label())));
      left += width;
    }
  }
}
