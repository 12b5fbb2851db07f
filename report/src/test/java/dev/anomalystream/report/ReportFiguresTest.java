package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The figures the report computes, checked without rendering anything. */
class ReportFiguresTest {

  @Test
  void rocCurvesPerSetAndPooledAgreeWithHandComputedAuroc() {
    ReportFigures figures = threeSets(2.5);
    Map<String, RocCurve> curves = figures.rocCurves();
    assertEquals(
        List.of("a.csv", "b.csv", EvaluationReport.ALL_ANOMALOUS), List.copyOf(curves.keySet()));
    assertEquals(0.75, curves.get("a.csv").auroc(), 1e-12);
    assertEquals(0.0, curves.get("b.csv").auroc(), 1e-12);
    // pooled {2, 4, 0.5} against {1, 2, 3}: 1.5 + 3 + 0 pairs of 9
    assertEquals(4.5 / 9, curves.get(EvaluationReport.ALL_ANOMALOUS).auroc(), 1e-12);
    assertEquals(curves, figures.drawnRocCurves());
    assertEquals(List.of("normal", "a.csv", "b.csv"), figures.classNames());
  }

  @Test
  void perClassRowsCountTheFlaggedShareOfEachSetAndOfAllPooled() {
    List<ReportFigures.ClassRow> rows = threeSets(2.5).classRows();
    assertEquals(
        List.of(
            new ReportFigures.ClassRow("normal", 3, OptionalDouble.empty(), 1.0 / 3),
            new ReportFigures.ClassRow("a.csv", 2, OptionalDouble.of(0.75), 0.5),
            new ReportFigures.ClassRow("b.csv", 1, OptionalDouble.of(0.0), 0.0),
            new ReportFigures.ClassRow(
                EvaluationReport.ALL_ANOMALOUS, 3, OptionalDouble.of(0.5), 1.0 / 3)),
        rows);
  }

  @Test
  void oneAnomalousSetIsNotRepeatedAsThePooledCurveOrRow() {
    ReportFigures figures =
        EvaluationReport.builder("knn", 2.5)
            .normalScores(new double[] {1, 2, 3})
            .anomalousScores("a.csv", new double[] {2, 4})
            .build()
            .figures();
    assertTrue(figures.rocCurves().containsKey(EvaluationReport.ALL_ANOMALOUS));
    assertEquals(List.of("a.csv"), List.copyOf(figures.drawnRocCurves().keySet()));
    assertEquals(
        List.of("normal", "a.csv"),
        figures.classRows().stream().map(ReportFigures.ClassRow::name).toList());
  }

  @Test
  void decisionAtTheThresholdPoolsEveryAnomalousSet() {
    // flagged above 2.5: normal 3 of {1, 2, 3}; anomalous 4 of {2, 4, 0.5}
    var atThreshold = threeSets(2.5).atThreshold();
    assertEquals(1, atThreshold.falsePositives());
    assertEquals(2, atThreshold.trueNegatives());
    assertEquals(1, atThreshold.truePositives());
    assertEquals(2, atThreshold.falseNegatives());
  }

  @Test
  void histogramSharesEachClassOnOneAxisAndPutsTheFarTailInTheLastBin() {
    double[] normal = new double[200];
    Arrays.setAll(normal, i -> i / 200.0);
    ReportFigures.ScoreHistogram histogram =
        EvaluationReport.builder("knn", 0.5)
            .normalScores(normal)
            .anomalousScores("a.csv", new double[] {0.1, 0.2, 100})
            .build()
            .figures()
            .histogram();
    // the axis ends at the 99.5 % quantile (0.99), rounded up to a tick, not at the outlier 100
    assertEquals(0.0, histogram.axis().min(), 1e-12);
    assertEquals(1.0, histogram.axis().max(), 1e-12);
    assertEquals(1.0 / ReportFigures.HISTOGRAM_BINS, histogram.binWidth(), 1e-12);
    assertEquals(1, histogram.scoresAboveAxis());
    assertEquals(2, histogram.shares().size());
    for (double[] shares : histogram.shares()) {
      assertEquals(ReportFigures.HISTOGRAM_BINS, shares.length);
      assertEquals(1.0, Arrays.stream(shares).sum(), 1e-9);
    }
    // each 0.025 bin holds 5 of the 200 normal scores
    assertEquals(5 / 200.0, histogram.shares().get(0)[0], 1e-12);
    double[] anomalous = histogram.shares().get(1);
    assertEquals(1.0 / 3, anomalous[ReportFigures.HISTOGRAM_BINS - 1], 1e-12);
    assertEquals(1.0 / 3, histogram.highestShare(), 1e-12);
  }

  @Test
  void histogramAxisAlwaysReachesTheThreshold() {
    ReportFigures.ScoreHistogram histogram =
        EvaluationReport.builder("knn", 5)
            .normalScores(new double[] {0.1, 0.2, 0.3})
            .anomalousScores("a.csv", new double[] {0.4})
            .build()
            .figures()
            .histogram();
    assertTrue(histogram.axis().max() >= 5, "axis ends at " + histogram.axis().max());
    assertTrue(histogram.axis().min() <= 0.1, "axis starts at " + histogram.axis().min());
  }

  @Test
  void projectionIsCappedAndKeepsRareClasses() {
    ReportFigures figures = SampleReports.builder().projectionSample(600, 3).build().figures();
    List<ProjectedPoint> points = figures.projection();
    assertEquals(600, points.size());
    assertEquals(
        SampleReports.NORMAL_COUNT + SampleReports.SPAM_COUNT + SampleReports.GIBBERISH_COUNT,
        figures.embeddedCount());
    // 600 shared out smallest class first: gibberish (share 200) and spam (share 270) fit whole,
    // normal takes what is left
    assertEquals(SampleReports.GIBBERISH_COUNT, count(points, "gibberish.csv"));
    assertEquals(SampleReports.SPAM_COUNT, count(points, "spam.csv"));
    assertEquals(600 - 150 - 60, count(points, "normal"));
  }

  @Test
  void anomalyRateTotalsAddUpEveryMinute() {
    ReportFigures figures =
        EvaluationReport.builder("knn", 0.5)
            .normalScores(new double[] {0.1})
            .anomalousScores("a.csv", new double[] {0.9})
            .detections(
                List.of(
                    Map.of("processed_time", "2026-11-23T10:00:05Z", "is_anomaly", true),
                    Map.of("processed_time", "2026-11-23T10:00:07Z", "is_anomaly", false),
                    Map.of("processed_time", "2026-11-23T10:02:00Z", "is_anomaly", true)))
            .build()
            .figures();
    assertEquals(3, figures.anomalyRate().size());
    assertEquals(3, figures.detectedMessages());
    assertEquals(2, figures.detectedAnomalies());
  }

  @Test
  void withoutEmbeddingsOrDetectionsThoseFiguresAreEmpty() {
    ReportFigures figures = threeSets(0.5);
    assertEquals(List.of(), figures.projection());
    assertEquals(0, figures.embeddedCount());
    assertEquals(List.of(), figures.anomalyRate());
  }

  private static ReportFigures threeSets(double threshold) {
    return EvaluationReport.builder("knn", threshold)
        .normalScores(new double[] {1, 2, 3})
        .anomalousScores("a.csv", new double[] {2, 4})
        .anomalousScores("b.csv", new double[] {0.5})
        .build()
        .figures();
  }

  private static long count(List<ProjectedPoint> points, String className) {
    return points.stream().filter(p -> p.className().equals(className)).count();
  }
}
