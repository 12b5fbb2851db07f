package dev.anomalystream.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;

/**
 * Renders an {@link EvaluationReport} as one self-contained HTML page from the template {@code
 * report.html.mustache}, which escapes every value it is given. Everything is inline: the style
 * sheet and the script (partials of the template), and the charts, static SVG drawn by one class
 * each from the report's {@link ReportFigures}. Nothing refers to another file or the network, so
 * the page opens anywhere, offline. Hover details use SVG {@code <title>} elements, which browsers
 * show as tooltips without script; the script only lets legend entries hide their series.
 */
final class HtmlReport {
  // compiled once and shared: a compiled Mustache is thread safe (spullara/mustache.java#162)
  private static final Mustache PAGE =
      new DefaultMustacheFactory("dev/anomalystream/report").compile("report.html.mustache");

  /** The template's values; Mustache reads them through the records' accessors. */
  record Page(
      String title,
      String modelVersion,
      String embeddingModel,
      String scoreName,
      String threshold,
      String generatedAt,
      List<SummaryRow> summary,
      List<PerClassRow> perClass,
      List<Chart> charts) {}

  record SummaryRow(String name, String value) {}

  record PerClassRow(String name, String messages, String auroc, String flagged) {}

  /**
   * One figure of the page.
   *
   * @param svg the chart, or null when there is nothing to draw and {@code emptyText} says why
   */
  record Chart(String title, String svg, String emptyText, String caption) {
    boolean drawn() {
      return svg != null;
    }
  }

  private HtmlReport() {}

  static String render(EvaluationReport report) {
    StringWriter html = new StringWriter(64 * 1024);
    PAGE.execute(html, page(report));
    return html.toString();
  }

  private static Page page(EvaluationReport report) {
    ReportFigures figures = report.figures();
    return new Page(
        report.title(),
        report.modelVersion(),
        report.embeddingModel(),
        report.scoreName(),
        Format.number(report.threshold()),
        Format.dateTime(report.generatedAt()),
        report.summary().entrySet().stream()
            .map(e -> new SummaryRow(e.getKey(), Format.summaryValue(e.getValue())))
            .toList(),
        figures.classRows().stream()
            .map(
                row ->
                    new PerClassRow(
                        row.name(),
                        Format.count(row.messages()),
                        row.auroc().isPresent() ? Format.number(row.auroc().getAsDouble()) : "",
                        Format.percent(row.flaggedShare())))
            .toList(),
        List.of(
            histogram(report, figures),
            roc(report, figures),
            precisionRecall(report, figures),
            projection(figures),
            anomalyRate(figures)));
  }

  private static Chart histogram(EvaluationReport report, ReportFigures figures) {
    ReportFigures.ScoreHistogram histogram = figures.histogram();
    String caption =
        "Each class's scores as shares of that class, so small anomalous sets are as visible as"
            + " the normal one. Messages scoring right of the dashed threshold are flagged.";
    if (histogram.scoresAboveAxis() > 0) {
      caption +=
          " The last bin also holds the "
              + histogram.scoresAboveAxis()
              + " scores above "
              + Format.number(histogram.axis().max())
              + ".";
    }
    return new Chart(
        "Outlier score by class",
        ScoreHistogramChart.svg(
            histogram, figures.classNames(), report.scoreName(), report.threshold()),
        null,
        caption);
  }

  private static Chart roc(EvaluationReport report, ReportFigures figures) {
    return new Chart(
        "ROC curve",
        RocChart.svg(figures.drawnRocCurves(), figures.atThreshold(), report.threshold()),
        null,
        "Normal messages are the negatives, anomalous ones the positives. The ring marks the"
            + " detector's own decision on all anomalous messages; the dashed diagonal is chance.");
  }

  private static Chart precisionRecall(EvaluationReport report, ReportFigures figures) {
    return new Chart(
        "Precision-recall curve",
        PrecisionRecallChart.svg(
            figures.rocCurves().get(EvaluationReport.ALL_ANOMALOUS),
            figures.atThreshold(),
            report.threshold()),
        null,
        "All anomalous messages against the normal ones, as the threshold goes down. The ring"
            + " marks the detector's own threshold (however it was chosen: a false-alarm rate, a"
            + " percentile or the best F1 on labelled anomalies). Precision depends on the mix:"
            + " these sets hold far more anomalies than a stream would.");
  }

  private static Chart projection(ReportFigures figures) {
    String title = "Embeddings on the first two principal components";
    if (figures.projection().isEmpty()) {
      return new Chart(
          title,
          null,
          "No embeddings given.",
          "Pass embeddings to the report builder to draw them.");
    }
    return new Chart(
        title,
        ProjectionChart.svg(figures.projection(), figures.classNames()),
        null,
        String.format(
            Locale.ROOT,
            "%,d of %,d messages, each class sampled evenly up to the cap so rare classes stay"
                + " visible. Ringed points were flagged. Hover a point to read the message.",
            figures.projection().size(),
            figures.embeddedCount()));
  }

  private static Chart anomalyRate(ReportFigures figures) {
    String title = "Anomaly rate over time";
    if (figures.anomalyRate().isEmpty()) {
      return new Chart(
          title,
          null,
          "No detector output given.",
          "Pass detector output rows (processed_time, is_anomaly) to draw the rate over time.");
    }
    return new Chart(
        title,
        AnomalyRateChart.svg(figures.anomalyRate()),
        null,
        String.format(
            Locale.ROOT,
            "%,d messages over %,d minutes, %,d flagged. Hover a point for the minute's counts.",
            figures.detectedMessages(),
            figures.anomalyRate().size(),
            figures.detectedAnomalies()));
  }
}
