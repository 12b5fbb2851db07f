package dev.anomalystream.report;

import dev.anomalystream.core.evaluation.ConfusionCounts;
import dev.anomalystream.core.evaluation.ScoreEvaluation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link EvaluationReport} as one self-contained HTML page. Everything is inline: the
 * style sheet, the charts (SVG drawn here) and a short script that lets legend entries hide their
 * series. Nothing refers to another file or the network, so the page opens anywhere, offline. Hover
 * details use SVG {@code <title>} elements, which browsers show as tooltips without script.
 */
final class HtmlReport {
  /** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
  private static final String[] ANOMALOUS_COLORS = {
    "#D55E00", "#CC79A7", "#009E73", "#E69F00", "#0072B2", "#F0E442"
  };

  private static final String NORMAL_COLOR = "#6f9fd8";
  private static final String POOLED_COLOR = "#222222";
  private static final int HISTOGRAM_BINS = 40;
  // the upper end of the histograms' axis: scores above it share the last bin, so a long tail of
  // outliers does not squeeze the bulk of the distribution into a few bins
  private static final double HISTOGRAM_UPPER_QUANTILE = 0.995;
  private static final int TOOLTIP_TEXT_LIMIT = 160;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final EvaluationReport report;
  private final List<String> classNames;

  HtmlReport(EvaluationReport report) {
    this.report = report;
    this.classNames = new ArrayList<>(report.scoresByClass().keySet());
  }

  String render() {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(Html.escape(report.title()))
        .append("</title>\n")
        // registered first, so an error anywhere in the page script is recorded for the browser
        // test
        .append("<script>window.onerror = function (message) {")
        .append(" document.body.dataset.rendered = 'error: ' + message; };</script>\n")
        .append("<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<main>\n");
    html.append("<header><h1>")
        .append(Html.escape(report.title()))
        .append("</h1>\n")
        .append("<p class=\"meta\">Model <strong>")
        .append(Html.escape(report.modelVersion()))
        .append("</strong> · embedding model <strong>")
        .append(Html.escape(report.embeddingModel()))
        .append("</strong> · score <strong>")
        .append(Html.escape(report.scoreName()))
        .append("</strong> · threshold <strong>")
        .append(Html.escape(number(report.threshold())))
        .append("</strong> · generated ")
        .append(Html.escape(DATE_TIME.format(report.generatedAt())))
        .append("</p></header>\n");
    html.append("<section class=\"tables\">\n");
    appendSummary(html);
    appendPerClassTable(html);
    html.append("</section>\n<section class=\"charts\">\n");
    figure(html, "Outlier score by class", histogramCaption(), histogram());
    figure(html, "ROC curve", rocCaption(), roc());
    figure(html, "Embeddings on the first two principal components", scatterCaption(), scatter());
    figure(html, "Anomaly rate over time", rateCaption(), rate());
    html.append("</section>\n</main>\n<script>")
        .append(SCRIPT)
        .append("</script>\n")
        .append("</body>\n</html>\n");
    return html.toString();
  }

  private void appendSummary(StringBuilder html) {
    html.append("<table class=\"summary\"><caption>Summary</caption>\n");
    if (report.summary().isEmpty()) {
      html.append("<tr><td>no summary figures given</td></tr>\n");
    }
    for (Map.Entry<String, Object> entry : report.summary().entrySet()) {
      html.append("<tr><th>")
          .append(Html.escape(entry.getKey()))
          .append("</th><td>")
          .append(Html.escape(value(entry.getValue())))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  /** Per anomalous set: its size, AUROC and the share the threshold catches. */
  private void appendPerClassTable(StringBuilder html) {
    Map<String, double[]> scores = report.scoresByClass();
    double[] normal = scores.get(EvaluationReport.NORMAL);
    html.append("<table class=\"per-class\"><caption>Per class at threshold ")
        .append(Html.escape(number(report.threshold())))
        .append("</caption>\n<tr><th>class</th><th>messages</th><th>AUROC</th>")
        .append("<th>flagged</th></tr>\n");
    row(html, EvaluationReport.NORMAL, normal.length, "", percent(flaggedShare(normal)));
    for (Map.Entry<String, RocCurve> entry : drawnRocCurves().entrySet()) {
      String name = entry.getKey();
      double[] anomalous =
          name.equals(EvaluationReport.ALL_ANOMALOUS) ? pooledAnomalous() : scores.get(name);
      row(
          html,
          name,
          anomalous.length,
          number(entry.getValue().auroc()),
          percent(flaggedShare(anomalous)));
    }
    html.append("</table>\n");
  }

  private static void row(
      StringBuilder html, String name, int messages, String auroc, String flagged) {
    html.append("<tr><th>")
        .append(Html.escape(name))
        .append("</th><td>")
        .append(String.format(Locale.ROOT, "%,d", messages))
        .append("</td><td>")
        .append(Html.escape(auroc))
        .append("</td><td>")
        .append(Html.escape(flagged))
        .append("</td></tr>\n");
  }

  private static void figure(StringBuilder html, String title, String caption, String svg) {
    html.append("<figure><h2>")
        .append(Html.escape(title))
        .append("</h2>\n")
        .append(svg)
        .append("\n<figcaption>")
        .append(Html.escape(caption))
        .append("</figcaption></figure>\n");
  }

  // ---- histogram ----

  private double histogramUpper() {
    double[] pooled =
        report.scoresByClass().values().stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    double quantile = pooled[(int) Math.floor(HISTOGRAM_UPPER_QUANTILE * (pooled.length - 1))];
    return Math.max(quantile, report.threshold());
  }

  private double histogramLower() {
    double lowest =
        report.scoresByClass().values().stream()
            .flatMapToDouble(Arrays::stream)
            .min()
            .orElseThrow();
    return Math.min(lowest, report.threshold());
  }

  private String histogram() {
    double lower = histogramLower();
    double upper = histogramUpper();
    SvgPlot.Ticks xTicks = SvgPlot.niceTicks(lower, upper, 8);
    double binWidth = (xTicks.max() - xTicks.min()) / HISTOGRAM_BINS;
    Map<String, double[]> scoresByClass = report.scoresByClass();
    List<double[]> shares = new ArrayList<>();
    double highestShare = 0;
    for (double[] scores : scoresByClass.values()) {
      double[] share = new double[HISTOGRAM_BINS];
      for (double score : scores) {
        int bin = (int) Math.floor((score - xTicks.min()) / binWidth);
        share[Math.max(0, Math.min(HISTOGRAM_BINS - 1, bin))] += 1.0 / scores.length;
      }
      shares.add(share);
      highestShare = Math.max(highestShare, Arrays.stream(share).max().orElse(0));
    }
    SvgPlot plot = new SvgPlot(xTicks, SvgPlot.niceTicks(0, highestShare * 100, 5));
    for (int c = 0; c < classNames.size(); c++) {
      String series = "h" + c;
      String color = color(c);
      for (int bin = 0; bin < HISTOGRAM_BINS; bin++) {
        double share = shares.get(c)[bin];
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
                percent(share),
                number(from),
                number(from + binWidth)));
      }
      plot.legend(series, classNames.get(c), color, "box");
    }
    double thresholdX = plot.x(report.threshold());
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
            Html.escape(number(report.threshold()))));
    return plot.render(
        "Histogram of " + report.scoreName() + " scores per class",
        report.scoreName() + " outlier score",
        "share of the class's messages (%)",
        xTicks::format);
  }

  private String histogramCaption() {
    double upper = SvgPlot.niceTicks(histogramLower(), histogramUpper(), 8).max();
    long above =
        report.scoresByClass().values().stream()
            .flatMapToDouble(Arrays::stream)
            .filter(s -> s > upper)
            .count();
    String caption =
        "Each class's scores as shares of that class, so small anomalous sets are as visible as"
            + " the normal one. Messages scoring right of the dashed threshold are flagged.";
    return above == 0
        ? caption
        : caption
            + " The last bin also holds the "
            + above
            + " scores above "
            + number(upper)
            + ".";
  }

  // ---- ROC ----

  private String roc() {
    SvgPlot.Ticks unit = SvgPlot.niceTicks(0, 1, 5);
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
    for (Map.Entry<String, RocCurve> entry : drawnRocCurves().entrySet()) {
      boolean pooled = entry.getKey().equals(EvaluationReport.ALL_ANOMALOUS);
      String label = entry.getKey() + " (AUROC " + number(entry.getValue().auroc()) + ")";
      // a file's curve keeps the colour its histogram has
      String color = pooled ? POOLED_COLOR : color(index + 1);
      String points = rocPolyline(plot, entry.getValue().points());
      plot.append(
          String.format(
              Locale.ROOT,
              "<polyline class=\"roc-curve\" data-series=\"r%d\" points=\"%s\" stroke=\"%s\""
                  + " stroke-width=\"%s\"><title>%s</title></polyline>",
              index,
              points,
              color,
              pooled ? "2.5" : "1.8",
              Html.escape(label)));
      plot.legend("r" + index, label, color, "line");
      index++;
    }
    ConfusionCounts atThreshold =
        new ScoreEvaluation(report.scoresByClass().get(EvaluationReport.NORMAL), pooledAnomalous())
            .at(report.threshold());
    plot.append(
        String.format(
            Locale.ROOT,
            "<circle class=\"operating-point\" data-series=\"op\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\">"
                + "<title>threshold %s: false alarm rate %s, recall %s</title></circle>",
            plot.x(atThreshold.falseAlarmRate()),
            plot.y(atThreshold.recall()),
            Html.escape(number(report.threshold())),
            percent(atThreshold.falseAlarmRate()),
            percent(atThreshold.recall())));
    plot.legend("op", "decision at threshold", POOLED_COLOR, "ring");
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
  private static String rocPolyline(SvgPlot plot, List<RocCurve.Point> points) {
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

  private String rocCaption() {
    return "Normal messages are the negatives, anomalous ones the positives. The ring marks the"
        + " detector's own decision on all anomalous messages; the dashed diagonal is chance.";
  }

  // ---- scatter ----

  private String scatter() {
    List<ProjectedPoint> points = report.projection();
    if (points.isEmpty()) {
      return "<p class=\"empty\">No embeddings given.</p>";
    }
    SvgPlot plot =
        new SvgPlot(
            SvgPlot.niceTicks(
                points.stream().mapToDouble(ProjectedPoint::x).min().orElseThrow(),
                points.stream().mapToDouble(ProjectedPoint::x).max().orElseThrow(),
                8),
            SvgPlot.niceTicks(
                points.stream().mapToDouble(ProjectedPoint::y).min().orElseThrow(),
                points.stream().mapToDouble(ProjectedPoint::y).max().orElseThrow(),
                6));
    // normal points first so the rarer anomalous ones are drawn on top of them
    for (int c = 0; c < classNames.size(); c++) {
      String className = classNames.get(c);
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
                color(c),
                Html.escape(className),
                p.flagged() ? "flagged" : "not flagged",
                Html.escape(text)));
      }
      if (present) {
        plot.legend("p" + c, className, color(c), "box");
      }
    }
    plot.legend(null, "flagged (ring)", POOLED_COLOR, "ring");
    SvgPlot.Ticks xTicks = plot.xTicks();
    return plot.render(
        "Scatter of embeddings by class",
        "principal component 1",
        "principal component 2",
        xTicks::format);
  }

  private String scatterCaption() {
    int shown = report.projection().size();
    if (shown == 0) {
      return "Pass embeddings to the report builder to draw them.";
    }
    return String.format(
        Locale.ROOT,
        "%,d of %,d messages, each class sampled evenly up to the cap so rare classes stay visible."
            + " Ringed points were flagged. Hover a point to read the message.",
        shown,
        report.embeddedCount());
  }

  // ---- rate over time ----

  private String rate() {
    List<MinuteCount> minutes = report.anomalyRate();
    if (minutes.isEmpty()) {
      return "<p class=\"empty\">No detector output given.</p>";
    }
    double first = minutes.get(0).minute().getEpochSecond() / 60.0;
    double last = minutes.get(minutes.size() - 1).minute().getEpochSecond() / 60.0;
    double highestRate =
        minutes.stream().mapToDouble(MinuteCount::anomalyRate).max().orElse(0) * 100;
    SvgPlot.Ticks timeTicks = SvgPlot.niceTicks(first, Math.max(last, first + 1), 6);
    SvgPlot plot = new SvgPlot(timeTicks, SvgPlot.niceTicks(0, Math.max(highestRate, 1), 5));
    StringBuilder line = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (MinuteCount minute : minutes) {
      double x = plot.x(minute.minute().getEpochSecond() / 60.0);
      double y = plot.y(minute.anomalyRate() * 100);
      line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      dots.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"rate-point\" data-series=\"rate\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\">"
                  + "<title>%s UTC: %,d messages, %,d anomalies (%s)</title></circle>",
              x,
              y,
              MINUTE.format(minute.minute()),
              minute.messages(),
              minute.anomalies(),
              percent(minute.anomalyRate())));
    }
    plot.append(
        "<polyline class=\"rate-line\" data-series=\"rate\" points=\""
            + line.toString().trim()
            + "\"/>");
    plot.append(dots.toString());
    plot.legend("rate", "flagged share per minute", ANOMALOUS_COLORS[0], "line");
    return plot.render(
        "Anomaly rate per minute",
        "processed time (UTC), from " + DATE_TIME.format(minutes.get(0).minute()),
        "messages flagged (%)",
        minute -> MINUTE.format(Instant.ofEpochSecond(Math.round(minute * 60))));
  }

  private String rateCaption() {
    List<MinuteCount> minutes = report.anomalyRate();
    if (minutes.isEmpty()) {
      return "Pass detector output rows (processed_time, is_anomaly) to draw the rate over time.";
    }
    long messages = minutes.stream().mapToLong(MinuteCount::messages).sum();
    long anomalies = minutes.stream().mapToLong(MinuteCount::anomalies).sum();
    return String.format(
        Locale.ROOT,
        "%,d messages over %,d minutes, %,d flagged. Hover a point for the minute's counts.",
        messages,
        minutes.size(),
        anomalies);
  }

  // ---- helpers ----

  /** The ROC curves worth drawing: with one anomalous set, the pooled curve would repeat it. */
  private Map<String, RocCurve> drawnRocCurves() {
    Map<String, RocCurve> curves = new LinkedHashMap<>(report.rocCurves());
    if (curves.size() == 2) {
      curves.remove(EvaluationReport.ALL_ANOMALOUS);
    }
    return curves;
  }

  private double[] pooledAnomalous() {
    return report.scoresByClass().entrySet().stream()
        .filter(e -> !e.getKey().equals(EvaluationReport.NORMAL))
        .flatMapToDouble(e -> Arrays.stream(e.getValue()))
        .toArray();
  }

  private double flaggedShare(double[] scores) {
    return (double) Arrays.stream(scores).filter(s -> s > report.threshold()).count()
        / scores.length;
  }

  private static String color(int classIndex) {
    return classIndex == 0
        ? NORMAL_COLOR
        : ANOMALOUS_COLORS[(classIndex - 1) % ANOMALOUS_COLORS.length];
  }

  private static String shorten(String text) {
    return text.length() <= TOOLTIP_TEXT_LIMIT
        ? text
        : text.substring(0, TOOLTIP_TEXT_LIMIT - 1) + "…";
  }

  private static String number(double value) {
    return Math.abs(value) >= 1000
        ? String.format(Locale.ROOT, "%,.1f", value)
        : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String value(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    if (value instanceof Integer || value instanceof Long) {
      return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
    }
    return String.valueOf(value);
  }

  private static final String STYLE =
      """
      :root { color-scheme: light; --ink: #1d2733; --muted: #5c6b7a; --rule: #dde3ea; }
      * { box-sizing: border-box; }
      body { margin: 0; background: #f6f8fa; color: var(--ink);
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
        sans-serif; }
      main { max-width: 1360px; margin: 0 auto; padding: 24px 28px 40px; }
      h1 { font-size: 24px; margin: 0 0 4px; }
      h2 { font-size: 16px; margin: 0 0 8px; }
      .meta { color: var(--muted); margin: 0 0 20px; }
      .meta strong { color: var(--ink); font-weight: 600; }
      .tables { display: flex; flex-wrap: wrap; gap: 24px; margin-bottom: 24px;
        align-items: flex-start; }
      table { border-collapse: collapse; background: #fff; border: 1px solid var(--rule);
        border-radius: 6px; }
      caption { text-align: left; font-weight: 600; padding: 0 0 6px; }
      th, td { padding: 5px 14px; border-bottom: 1px solid var(--rule); text-align: left; }
      td { text-align: right; font-variant-numeric: tabular-nums; }
      .summary th { font-weight: 500; color: var(--muted);
        font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
      .per-class tr:first-child th { color: var(--muted); font-weight: 500; }
      .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr));
        gap: 24px; }
      figure { margin: 0; background: #fff; border: 1px solid var(--rule); border-radius: 6px;
        padding: 14px 16px 12px; }
      figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
      svg.chart { width: 100%; height: auto; display: block; }
      svg text { fill: var(--ink); font-size: 11px; }
      svg .tick { fill: var(--muted); }
      svg .label { font-size: 12px; }
      svg .grid { stroke: #edf0f4; }
      svg .axis { stroke: #9aa7b4; }
      svg .bar { fill-opacity: 0.55; }
      svg .threshold { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 5 4; }
      svg .threshold-label { font-weight: 600; }
      svg .diagonal { stroke: #9aa7b4; stroke-dasharray: 4 4; }
      svg .roc-curve { fill: none; stroke-linejoin: round; }
      svg .operating-point { fill: none; stroke: #222; stroke-width: 2; }
      svg .point { fill-opacity: 0.7; }
      svg .point.flagged { stroke: #111; stroke-width: 1.2; fill-opacity: 0.9; }
      svg .rate-line { fill: none; stroke: #D55E00; stroke-width: 2; }
      svg .rate-point { fill: #D55E00; }
      svg .legend-item { cursor: pointer; }
      svg .legend-item.off { opacity: 0.35; }
      svg .hidden { display: none; }
      .empty { color: var(--muted); padding: 40px 0; text-align: center; }
      """;

  /**
   * Legend entries toggle their series; the last line records that the script ran through, which
   * the browser test reads from the dumped DOM.
   */
  private static final String SCRIPT =
      """
      document.querySelectorAll('svg.chart .legend-item').forEach(function (item) {
        item.addEventListener('click', function () {
          var svg = item.closest('svg');
          var series = item.dataset.series;
          var off = item.classList.toggle('off');
          svg.querySelectorAll('[data-series]').forEach(function (mark) {
            if (mark.dataset.series === series && !mark.classList.contains('legend-item')) {
              mark.classList.toggle('hidden', off);
            }
          });
        });
      });
      document.body.dataset.charts = String(document.querySelectorAll('svg.chart').length);
      if (!document.body.dataset.rendered) { document.body.dataset.rendered = 'ok'; }
      """;
}
