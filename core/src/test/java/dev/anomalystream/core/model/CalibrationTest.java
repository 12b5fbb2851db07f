package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  @Test
  void thresholdOfUniformScoresIsTheUpperQuantile() {
    Random random = new Random(7);
    double[] scores = random.doubles(20_000).toArray();
    Calibration calibration = Calibration.fromNormalScores(scores, 0.01);
    // U(0,1): P(score > t) = 1 - t, so the threshold for 1 % sits near 0.99
    assertEquals(0.99, calibration.threshold(), 0.002);
    assertTrue(calibration.achievedFalseAlarmRate() <= 0.01);
    assertTrue(calibration.achievedFalseAlarmRate() > 0.009);
    assertEquals(20_000, calibration.calibrationSetSize());
    assertEquals(0.01, calibration.crossCheckedFalseAlarmRate(), 0.002);
    double[] fresh = random.doubles(200_000).toArray();
    assertEquals(0.01, Calibration.falseAlarmRate(fresh, calibration.threshold()), 0.001);
  }

  @Test
  void usesTheConformalRank() {
    // n = 9, target 0.1: rank ceil(10 * 0.9) = 9 -> the largest; target 0.2: rank 8
    double[] scores = {9, 1, 8, 2, 7, 3, 6, 4, 5};
    assertEquals(9, Calibration.fromNormalScores(scores, 0.1).threshold());
    Calibration twentyPercent = Calibration.fromNormalScores(scores, 0.2);
    assertEquals(8, twentyPercent.threshold());
    assertEquals(1.0 / 9, twentyPercent.achievedFalseAlarmRate(), 1e-12);
  }

  @Test
  void crossCheckExposesScoresThatDoNotShareADistribution() {
    Random random = new Random(5);
    // even positions from U(0, 1), odd ones from U(0.5, 1.5): each half's threshold misfits the
    // other
    double[] scores = new double[10_000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = random.nextDouble() + (i % 2 == 0 ? 0 : 0.5);
    }
    Calibration calibration = Calibration.fromNormalScores(scores, 0.01);
    assertTrue(calibration.achievedFalseAlarmRate() <= 0.01);
    assertTrue(calibration.crossCheckedFalseAlarmRate() > 0.2, calibration.toString());
  }

  @Test
  void tooFewScoresForTheTargetGiveTheLargestScore() {
    Calibration calibration = Calibration.fromNormalScores(new double[] {0.3, 0.1, 0.2}, 0.01);
    assertEquals(0.3, calibration.threshold());
    assertEquals(0.0, calibration.achievedFalseAlarmRate());
  }

  @Test
  void tiesAtTheThresholdAreNotAlarms() {
    double[] scores = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    Calibration calibration = Calibration.fromNormalScores(scores, 0.5);
    assertEquals(1, calibration.threshold());
    assertEquals(0.0, calibration.achievedFalseAlarmRate());
  }

  @Test
  void rejectsBadInput() {
    assertThrows(
        IllegalArgumentException.class, () -> Calibration.fromNormalScores(new double[0], 0.01));
    assertThrows(
        IllegalArgumentException.class, () -> Calibration.fromNormalScores(new double[] {1}, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Calibration.fromNormalScores(new double[] {1, Double.POSITIVE_INFINITY}, 0.1));
    assertEquals("normal score 1 is Infinity, not a finite number", e.getMessage());
  }

  @Test
  void thePercentileIsThePlainNearestRankBelowTheConformalOne() {
    double[] scores = new double[100];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = i + 1;
    }
    // 99th percentile of 1..100: the 99th smallest; the conformal rank for 1 % is ceil(101 * 0.99)
    Calibration percentile = Calibration.atPercentile(scores, 99);
    assertEquals(99, percentile.threshold());
    assertEquals(0.01, percentile.targetFalseAlarmRate(), 1e-12);
    assertEquals(0.01, percentile.achievedFalseAlarmRate());
    assertEquals(100, Calibration.fromNormalScores(scores, 0.01).threshold());
    assertTrue(Double.isFinite(percentile.crossCheckedFalseAlarmRate()));
    assertThrows(IllegalArgumentException.class, () -> Calibration.atPercentile(scores, 100));
  }

  @Test
  void bestF1SeparatesTheLabelledAnomaliesFromTheNormalScores() {
    double[] normal = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    double[] anomalies = {0.95, 1.5, 2.0};
    Calibration calibration = Calibration.bestF1(normal, anomalies, 0.01);
    // flagging above 0.9 catches all three anomalies at the cost of the one normal score 1.0;
    // above 1.0 catches two with none: F1 6/7 against 4/5
    assertTrue(
        calibration.threshold() > 0.9 && calibration.threshold() < 0.95, calibration.toString());
    assertEquals(0.1, calibration.achievedFalseAlarmRate(), 1e-12);
    assertTrue(Double.isNaN(calibration.crossCheckedFalseAlarmRate()));
    assertThrows(
        IllegalArgumentException.class, () -> Calibration.bestF1(normal, new double[0], 0.01));
  }
}
