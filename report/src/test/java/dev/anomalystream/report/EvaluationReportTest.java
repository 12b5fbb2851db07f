package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {

  @Test
  void rocCurvesPerFileAndPooledAgreeWithHandComputedAuroc() {
    EvaluationReport report =
        EvaluationReport.builder("knn", 2.5)
            .normalScores(new double[] {1, 2, 3})
            .anomalousScores("a.csv", new double[] {2, 4})
            .anomalousScores("b.csv", new double[] {0.5})
            .build();
    Map<String, RocCurve> curves = report.rocCurves();
    assertEquals(
        List.of("a.csv", "b.csv", EvaluationReport.ALL_ANOMALOUS), List.copyOf(curves.keySet()));
    assertEquals(0.75, curves.get("a.csv").auroc(), 1e-12);
    assertEquals(0.0, curves.get("b.csv").auroc(), 1e-12);
    // pooled {2, 4, 0.5} against {1, 2, 3}: 1.5 + 3 + 0 pairs of 9
    assertEquals(4.5 / 9, curves.get(EvaluationReport.ALL_ANOMALOUS).auroc(), 1e-12);
    assertEquals(List.of("normal", "a.csv", "b.csv"), List.copyOf(report.scoresByClass().keySet()));
  }

  @Test
  void projectionIsCappedAndKeepsRareClasses() {
    EvaluationReport report = SampleReports.builder().projectionSample(600, 3).build();
    List<ProjectedPoint> points = report.projection();
    assertEquals(600, points.size());
    assertEquals(
        SampleReports.NORMAL_COUNT + SampleReports.SPAM_COUNT + SampleReports.GIBBERISH_COUNT,
        report.embeddedCount());
    // 600 shared out smallest class first: gibberish (share 200) and spam (share 270) fit whole,
    // normal takes what is left
    assertEquals(SampleReports.GIBBERISH_COUNT, count(points, "gibberish.csv"));
    assertEquals(SampleReports.SPAM_COUNT, count(points, "spam.csv"));
    assertEquals(600 - 150 - 60, count(points, "normal"));
  }

  @Test
  void htmlEscapesMarkupInTextsAndNames() {
    String hostile = SampleReports.HOSTILE_TEXT;
    String html =
        SampleReports.builder()
            .title("Report " + hostile)
            .modelVersion("<b>v1</b>")
            .anomalousScores("<img onerror=x>.csv", new double[] {0.9, 0.8})
            .build()
            .toHtml();
    assertFalse(html.contains("<script>alert"), "a message's <script> reached the page unescaped");
    assertFalse(html.contains("<img"), "a file name's markup reached the page unescaped");
    assertFalse(html.contains("<b>v1"));
    assertTrue(html.contains("&lt;/title&gt;&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"));
    assertTrue(html.contains("&lt;img onerror=x&gt;.csv"));
    // only the page's own two script elements
    assertEquals(2, occurrences(html, "<script>"));
  }

  @Test
  void htmlRefersToNothingOutsideItself() {
    String html = SampleReports.builder().build().toHtml();
    String withoutComments = html.replaceAll("(?s)<!--.*?-->", "");
    for (String external :
        List.of("http://", "https://", "src=", "href=", "url(", "@import", "<link", "<iframe")) {
      assertFalse(
          withoutComments.toLowerCase().contains(external), "the report refers to " + external);
    }
  }

  @Test
  void htmlDrawsEveryChartAndTable(@TempDir Path directory) throws Exception {
    EvaluationReport report = SampleReports.builder().build();
    Path file = directory.resolve("nested/report.html");
    report.writeHtml(file);
    String html = Files.readString(file);
    assertEquals(4, occurrences(html, "<svg class=\"chart\""));
    assertEquals(report.projection().size(), occurrences(html, "<circle class=\"point"));
    assertEquals(report.anomalyRate().size(), occurrences(html, "<circle class=\"rate-point\""));
    // per class one bar per non-empty bin: at least a few each, at most 40 each
    int bars = occurrences(html, "<rect class=\"bar\"");
    assertTrue(bars >= 3 * 5 && bars <= 3 * 40, bars + " histogram bars");
    assertEquals(3, occurrences(html, "<polyline class=\"roc-curve\""));
    assertTrue(html.contains("<line class=\"threshold\""));
    assertTrue(html.contains("messages_per_second</th><td>1,843.7</td>"));
    assertTrue(html.contains("all-MiniLM-L6-v2 (quantised)"));
    assertTrue(html.contains("2026-11-23 10:15 UTC"));
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
    assertEquals(45_001, report.rocCurves().get("a.csv").points().size());
    Matcher polyline =
        Pattern.compile("<polyline class=\"roc-curve\"[^>]* points=\"([^\"]*)\"")
            .matcher(report.toHtml());
    assertTrue(polyline.find());
    String[] drawn = polyline.group(1).split(" ");
    assertTrue(drawn.length > 100 && drawn.length < 2500, drawn.length + " points drawn");
    // still from the bottom-left to the top-right corner
    assertEquals(drawn[0].split(",")[0], String.format(java.util.Locale.ROOT, "%.1f", 64.0));
    assertTrue(
        drawn[drawn.length - 1].endsWith("," + String.format(java.util.Locale.ROOT, "%.1f", 48.0)));
  }

  @Test
  void sectionsWithoutDataSaySoInsteadOfDrawing() {
    String html =
        EvaluationReport.builder("knn", 0.5)
            .normalScores(new double[] {0.1, 0.2})
            .anomalousScores("a.csv", new double[] {0.9})
            .build()
            .toHtml();
    assertEquals(2, occurrences(html, "<svg class=\"chart\""));
    // with one anomalous set the pooled curve and table row would only repeat it
    assertEquals(1, occurrences(html, "<polyline class=\"roc-curve\""));
    assertFalse(html.contains("<th>" + EvaluationReport.ALL_ANOMALOUS + "</th>"));
    assertFalse(html.contains(EvaluationReport.ALL_ANOMALOUS + " (AUROC"));
    assertTrue(html.contains("No embeddings given."));
    assertTrue(html.contains("No detector output given."));
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

  private static long count(List<ProjectedPoint> points, String className) {
    return points.stream().filter(p -> p.className().equals(className)).count();
  }

  static int occurrences(String text, String fragment) {
    Matcher matcher = Pattern.compile(Pattern.quote(fragment)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
