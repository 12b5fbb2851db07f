package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RocCurveTest {

  @Test
  void pointsStepThroughEachDistinctScoreWithTiesDiagonal() {
    // normal {1, 2, 3}, anomalous {2, 4}; lowering the threshold past 4 flags one anomaly, past 3
    // one normal, past the tied 2s one of each at once, past 1 the last normal
    RocCurve curve = RocCurve.of(new double[] {3, 1, 2}, new double[] {2, 4});
    List<RocCurve.Point> expected =
        List.of(
            new RocCurve.Point(0, 0),
            new RocCurve.Point(0, 0.5),
            new RocCurve.Point(1.0 / 3, 0.5),
            new RocCurve.Point(2.0 / 3, 1),
            new RocCurve.Point(1, 1));
    assertEquals(expected.size(), curve.points().size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(
          expected.get(i).falsePositiveRate(), curve.points().get(i).falsePositiveRate(), 1e-12);
      assertEquals(
          expected.get(i).truePositiveRate(), curve.points().get(i).truePositiveRate(), 1e-12);
    }
    // by hand: pairs (anomalous above normal) 2>1, 2=2 half, 4 beats three -> 4.5 / 6
    assertEquals(0.75, curve.auroc(), 1e-12);
    assertEquals(curve.auroc(), trapezoidArea(curve), 1e-12);
  }

  @Test
  void trapezoidAreaMatchesAurocOnManyTiedScores() {
    double[] normal = {0.1, 0.1, 0.2, 0.3, 0.3, 0.3, 0.5, 0.7};
    double[] anomalous = {0.3, 0.5, 0.5, 0.9, 0.1};
    RocCurve curve = RocCurve.of(normal, anomalous);
    assertEquals(curve.auroc(), trapezoidArea(curve), 1e-12);
  }

  static double trapezoidArea(RocCurve curve) {
    double area = 0;
    List<RocCurve.Point> points = curve.points();
    for (int i = 1; i < points.size(); i++) {
      RocCurve.Point a = points.get(i - 1);
      RocCurve.Point b = points.get(i);
      area +=
          (b.falsePositiveRate() - a.falsePositiveRate())
              * (a.truePositiveRate() + b.truePositiveRate())
              / 2;
    }
    return area;
  }
}
