package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered page, read back with an HTML parser as a browser would build it. */
class EvaluationReportTest {
  static final List<String> CHART_TITLES =
      List.of(
          "Outlier score by class",
          "ROC curve",
          "Precision-recall curve",
          "Embeddings on the first two principal components",
          "Anomaly rate over time");

  @Test
  void hostileTextsAndNamesStayTextEverywhere() {
    String hostileFile = "<img src=x onerror=alert(2)>.csv";
    Document page =
        Jsoup.parse(
            SampleReports.builder()
                .title("Report " + SampleReports.HOSTILE_TEXT)
                .modelVersion("<b>v1</b>")
                .anomalousScores(hostileFile, new double[] {0.9, 0.8})
                .build()
                .toHtml());
    // only the page's own two scripts, and none of the injected elements
    assertEquals(2, page.select("script").size());
    assertTrue(page.select("img, b").isEmpty(), page.select("img, b").toString());
    assertEquals("Report " + SampleReports.HOSTILE_TEXT, page.title());
    assertEquals("Report " + SampleReports.HOSTILE_TEXT, page.selectFirst("h1").text());
    assertTrue(page.selectFirst("p.meta").text().contains("<b>v1</b>"));
    // a message in a scatter point's hover text, a file name in the table and a chart legend
    assertTrue(
        page.select("circle.point > title").stream()
            .anyMatch(title -> title.text().contains(SampleReports.HOSTILE_TEXT)),
        "the hostile message is not among the points' hover texts");
    assertTrue(page.select("table.per-class th").eachText().contains(hostileFile));
    assertTrue(page.select("g.legend-item text").eachText().contains(hostileFile));
  }

  @Test
  void pageRefersToNothingOutsideItself() {
    String html = SampleReports.builder().build().toHtml();
    Document page = Jsoup.parse(html);
    assertTrue(page.select("[src], [href], link, iframe, object, embed").isEmpty());
    String withoutComments = html.replaceAll("(?s)<!--.*?-->", "").toLowerCase(Locale.ROOT);
    for (String external : List.of("http://", "https://", "url(", "@import")) {
      assertFalse(withoutComments.contains(external), "the report refers to " + external);
    }
    // the style sheet and script are inlined, not linked
    assertTrue(page.selectFirst("head > style").data().contains(".charts {"));
    assertTrue(page.select("body script").last().data().contains("legend-item"));
  }

  @Test
  void pageDrawsEveryChartAndTable(@TempDir Path directory) throws Exception {
    EvaluationReport report = SampleReports.builder().build();
    Path file = directory.resolve("nested/report.html");
    report.writeHtml(file);
    Document page = Jsoup.parse(Files.readString(file));

    assertEquals(CHART_TITLES, page.select("figure > h2").eachText());
    assertEquals(5, page.select("figure > svg.chart").size());
    assertEquals(5, page.select("figure > figcaption").size());
    assertEquals(report.figures().projection().size(), page.select("circle.point").size());
    assertEquals(report.figures().anomalyRate().size(), page.select("circle.rate-point").size());
    // per class one bar per non-empty bin: at least a few each, at most 40 each
    int bars = page.select("rect.bar").size();
    assertTrue(bars >= 3 * 5 && bars <= 3 * 40, bars + " histogram bars");
    assertEquals(3, page.select("polyline.roc-curve").size());
    assertEquals(1, page.select("line.threshold").size());
    assertEquals(1, page.select("polyline.pr-curve").size());
    // the decision on the ROC curve and on the precision-recall curve
    assertEquals(2, page.select("circle.operating-point").size());

    Element summary = page.selectFirst("table.summary");
    assertEquals(9, summary.select("tr").size());
    assertEquals(
        "1,843.7", summary.select("tr:has(th:containsOwn(messages_per_second)) td").text());
    assertEquals(
        List.of("class", "normal", "spam.csv", "gibberish.csv", EvaluationReport.ALL_ANOMALOUS),
        page.select("table.per-class tr > th:first-child").eachText());
    // the normal row has no AUROC: it is the negatives of every curve
    assertEquals(
        List.of("4,000", "", "0.4%"),
        page.select("table.per-class tr").get(1).select("td").stream().map(Element::text).toList());
    String meta = page.selectFirst("p.meta").text();
    assertTrue(meta.contains("all-MiniLM-L6-v2 (quantised)"), meta);
    assertTrue(meta.contains("2026-11-23 10:15 UTC"), meta);
    assertTrue(meta.contains("threshold 0.6200"), meta);
  }

  @Test
  void rocCurveOfManyScoresIsThinnedToAFewPointsPerPixel() {
    Random random = new Random(1);
    double[] normal = random.doubles(40_000).toArray();
    double[] anomalous = random.doubles(5_000).map(s -> s + 0.3).toArray();
    EvaluationReport report =
        EvaluationReport.builder("knn", 0.9)
            .normalScores(normal)
            .anomalousScores("a.csv", anomalous)
            .build();
    assertEquals(45_001, report.figures().rocCurves().get("a.csv").points().size());
    Elements curves = Jsoup.parse(report.toHtml()).select("polyline.roc-curve");
    assertEquals(1, curves.size());
    String[] drawn = curves.attr("points").split(" ");
    assertTrue(drawn.length > 100 && drawn.length < 2500, drawn.length + " points drawn");
    // still from the bottom-left to the top-right corner of the plotting area
    assertTrue(drawn[0].startsWith("64.0,"), drawn[0]);
    assertTrue(drawn[drawn.length - 1].endsWith(",48.0"), drawn[drawn.length - 1]);
  }

  @Test
  void sectionsWithoutDataSaySoInsteadOfDrawing() {
    Document page =
        Jsoup.parse(
            EvaluationReport.builder("knn", 0.5)
                .normalScores(new double[] {0.1, 0.2})
                .anomalousScores("a.csv", new double[] {0.9})
                .build()
                .toHtml());
    assertEquals(CHART_TITLES, page.select("figure > h2").eachText());
    assertEquals(3, page.select("svg.chart").size());
    assertEquals(
        List.of("No embeddings given.", "No detector output given."),
        page.select("figure > p.empty").eachText());
    assertEquals(List.of("no summary figures given"), page.select("table.summary td").eachText());
    // with one anomalous set the pooled curve and table row would only repeat it
    assertEquals(1, page.select("polyline.roc-curve").size());
    assertEquals(
        List.of("class", "normal", "a.csv"),
        page.select("table.per-class tr > th:first-child").eachText());
  }

  @Test
  void builderRejectsMissingOrInconsistentInput() {
    assertThrows(
        IllegalStateException.class,
        () -> EvaluationReport.builder("knn", 0.5).normalScores(new double[] {0.1}).build());
    IllegalArgumentException nan =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EvaluationReport.builder("knn", 0.5)
                    .anomalousScores("a.csv", new double[] {Double.NaN}));
    assertTrue(nan.getMessage().contains("a.csv"), nan.getMessage());
    IllegalArgumentException unknownClass =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EvaluationReport.builder("knn", 0.5)
                    .normalScores(new double[] {0.1})
                    .anomalousScores("a.csv", new double[] {0.9})
                    .embeddings("b.csv", new float[][] {{1, 2}}, new boolean[] {true}, null)
                    .build());
    assertTrue(unknownClass.getMessage().contains("b.csv"), unknownClass.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            EvaluationReport.builder("knn", 0.5)
                .embeddings("normal", new float[][] {{1, 2}}, new boolean[] {true, false}, null));
  }
}
