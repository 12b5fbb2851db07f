package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.evaluation.ConfusionCounts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** Each chart drawn from figures made by hand: its marks, and its texts kept as text. */
class ChartsTest {
  private static final String HOSTILE = "<script>alert(1)</script>";

  @Test
  void histogramDrawsOneBarPerNonEmptyBinAndTheThreshold() {
    double[] normal = new double[ReportFigures.HISTOGRAM_BINS];
    normal[3] = 0.5;
    normal[4] = 0.5;
    double[] anomalous = new double[ReportFigures.HISTOGRAM_BINS];
    anomalous[30] = 1.0;
    ReportFigures.ScoreHistogram histogram =
        new ReportFigures.ScoreHistogram(
            AxisTicks.nice(0, 1, 8), 1.0 / 40, List.of(normal, anomalous), 1.0, 0);
    Element svg =
        parse(ScoreHistogramChart.svg(histogram, List.of("normal", HOSTILE), HOSTILE, 0.5));
    assertEquals(3, svg.select("rect.bar").size());
    assertEquals(1, svg.select("rect.bar[data-series=h1]").size());
    assertEquals("threshold 0.5000", svg.selectFirst("text.threshold-label").text());
    assertEquals(List.of("normal", HOSTILE), svg.select("g.legend-item text").eachText());
    assertTrue(svg.select("text.label").eachText().contains(HOSTILE + " outlier score"));
    assertEquals("Histogram of " + HOSTILE + " scores per class", svg.attr("aria-label"));
    assertNoInjectedElements(svg);
  }

  @Test
  void rocChartDrawsEachCurveAndTheDecisionWhereItIs() {
    Map<String, RocCurve> curves = new LinkedHashMap<>();
    curves.put(HOSTILE, RocCurve.of(new double[] {1, 2}, new double[] {3}));
    curves.put(EvaluationReport.ALL_ANOMALOUS, RocCurve.of(new double[] {1, 2}, new double[] {3}));
    // false alarm rate 1/4, recall 1/2
    Element svg = parse(RocChart.svg(curves, new ConfusionCounts(1, 1, 3, 1), 2.5));
    assertEquals(2, svg.select("polyline.roc-curve").size());
    assertEquals(
        List.of(
            HOSTILE + " (AUROC 1.0000)",
            EvaluationReport.ALL_ANOMALOUS + " (AUROC 1.0000)",
            "decision at threshold"),
        svg.select("g.legend-item text").eachText());
    Element decision = svg.selectFirst("circle.operating-point");
    // the plotting area spans x 64..620 and y 348..48
    assertEquals("203.0", decision.attr("cx"));
    assertEquals("198.0", decision.attr("cy"));
    assertNoInjectedElements(svg);
  }

  @Test
  void precisionRecallChartDrawsTheCurveAndTheDecisionWhereItIs() {
    // normal 1, 2, 3; anomalous 2.5, 4: lowering the threshold flags 4, then 3, then 2.5, ...
    RocCurve roc = RocCurve.of(new double[] {1, 2, 3}, new double[] {2.5, 4});
    List<double[]> points = PrecisionRecallChart.points(roc, 3, 2);
    assertEquals(List.of(0.5, 1.0), List.of(points.get(0)[0], points.get(0)[1]));
    assertEquals(List.of(0.5, 0.5), List.of(points.get(1)[0], points.get(1)[1]));
    assertEquals(List.of(1.0, 2.0 / 3), List.of(points.get(2)[0], points.get(2)[1]));
    assertEquals(List.of(1.0, 0.4), List.of(points.get(4)[0], points.get(4)[1]));
    // threshold 2.7: flags 3 and 4, so recall 1/2 and precision 1/2
    Element svg = parse(PrecisionRecallChart.svg(roc, new ConfusionCounts(1, 1, 2, 1), 2.7));
    assertEquals(1, svg.select("polyline.pr-curve").size());
    Element decision = svg.selectFirst("circle.operating-point");
    // the plotting area spans x 64..620 and y 348..48
    assertEquals("342.0", decision.attr("cx"));
    assertEquals("198.0", decision.attr("cy"));
    assertNoInjectedElements(svg);
  }

  @Test
  void projectionChartShowsEachMessageAsHoverTextShortenedWhenLong() {
    String longText = "x".repeat(500);
    List<ProjectedPoint> points =
        List.of(
            new ProjectedPoint("normal", 0, 0, false, "fine"),
            new ProjectedPoint("normal", 1, 1, false, longText),
            new ProjectedPoint(HOSTILE, 2, -1, true, HOSTILE));
    Element svg = parse(ProjectionChart.svg(points, List.of("normal", HOSTILE)));
    assertEquals(3, svg.select("circle.point").size());
    assertEquals(1, svg.select("circle.point.flagged").size());
    List<String> titles = svg.select("circle.point > title").eachText();
    assertEquals("normal · not flagged fine", titles.get(0));
    assertEquals("normal · not flagged " + "x".repeat(159) + "…", titles.get(1));
    assertEquals(HOSTILE + " · flagged " + HOSTILE, titles.get(2));
    assertNoInjectedElements(svg);
  }

  @Test
  void anomalyRateChartMarksEveryMinute() {
    Instant start = Instant.parse("2026-11-23T10:00:00Z");
    List<MinuteCount> minutes =
        List.of(
            new MinuteCount(start, 10, 1),
            new MinuteCount(start.plusSeconds(60), 0, 0),
            new MinuteCount(start.plusSeconds(120), 4, 2));
    Element svg = parse(AnomalyRateChart.svg(minutes));
    assertEquals(
        List.of(
            "10:00 UTC: 10 messages, 1 anomalies (10.0%)",
            "10:01 UTC: 0 messages, 0 anomalies (0.0%)",
            "10:02 UTC: 4 messages, 2 anomalies (50.0%)"),
        svg.select("circle.rate-point > title").eachText());
    assertEquals(3, svg.selectFirst("polyline.rate-line").attr("points").split(" ").length);
    assertTrue(
        svg.select("text.label")
            .eachText()
            .contains("processed time (UTC), from 2026-11-23 10:00 UTC"));
  }

  private static Element parse(String svg) {
    Element chart = Jsoup.parseBodyFragment(svg).selectFirst("svg.chart");
    assertTrue(chart != null, "no chart element in " + svg);
    return chart;
  }

  private static void assertNoInjectedElements(Element svg) {
    assertTrue(svg.select("script").isEmpty(), "markup in a text became an element");
  }
}
