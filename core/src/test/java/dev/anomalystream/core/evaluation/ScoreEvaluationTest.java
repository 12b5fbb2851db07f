package dev.anomalystream.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScoreEvaluationTest {

  @Test
  void aurocIsOneForPerfectSeparationAndZeroForReversed() {
    assertEquals(
        1.0, new ScoreEvaluation(new double[] {0.1, 0.2}, new double[] {0.3, 0.9}).auroc());
    assertEquals(
        0.0, new ScoreEvaluation(new double[] {0.3, 0.9}, new double[] {0.1, 0.2}).auroc());
  }

  @Test
  void aurocCountsPairsAndTiesAsHalf() {
    // normal {1, 2, 3}, anomalous {2, 4}: pairs (anomalous > normal): 2>1 yes, 2=2 half, 2>3 no,
    // 4 beats all three -> (1 + 0.5 + 0 + 3) / 6 = 0.75
    ScoreEvaluation evaluation = new ScoreEvaluation(new double[] {1, 2, 3}, new double[] {2, 4});
    assertEquals(0.75, evaluation.auroc(), 1e-12);
  }

  @Test
  void aurocOfAllEqualScoresIsOneHalf() {
    assertEquals(0.5, new ScoreEvaluation(new double[] {5, 5, 5}, new double[] {5, 5}).auroc());
  }

  @Test
  void countsAtThresholdFlagOnlyScoresStrictlyAbove() {
    ScoreEvaluation evaluation =
        new ScoreEvaluation(new double[] {0.1, 0.5, 0.6, 0.2}, new double[] {0.5, 0.7, 0.9});
    ConfusionCounts counts = evaluation.at(0.5);
    // flagged: normal 0.6; anomalous 0.7, 0.9 (0.5 equals the threshold, so is not flagged)
    assertEquals(new ConfusionCounts(2, 1, 3, 1), counts);
    assertEquals(2.0 / 3, counts.precision(), 1e-12);
    assertEquals(2.0 / 3, counts.recall(), 1e-12);
    assertEquals(2.0 / 3, counts.f1(), 1e-12);
    assertEquals(0.25, counts.falseAlarmRate(), 1e-12);
  }

  @Test
  void ratiosWithNothingFlaggedAreZero() {
    ConfusionCounts counts = new ScoreEvaluation(new double[] {0.1}, new double[] {0.2}).at(1.0);
    assertEquals(0.0, counts.precision());
    assertEquals(0.0, counts.recall());
    assertEquals(0.0, counts.f1());
  }

  @Test
  void bestF1FindsTheThresholdThatSeparatesBest() {
    // sorted: n0.1 n0.2 a0.3 n0.4 a0.5 a0.6. Flag {0.5, 0.6}: P=1, R=2/3, F1=0.8.
    // Flag {0.3..0.6}: tp 3, fp 1, F1 = 6/7 = 0.857 -> best, threshold between 0.2 and 0.3.
    ScoreEvaluation evaluation =
        new ScoreEvaluation(new double[] {0.4, 0.1, 0.2}, new double[] {0.5, 0.3, 0.6});
    ScoreEvaluation.BestF1 best = evaluation.bestF1();
    assertEquals(0.25, best.threshold(), 1e-12);
    assertEquals(6.0 / 7, best.counts().f1(), 1e-12);
    assertEquals(best.counts(), evaluation.at(best.threshold()));
  }

  @Test
  void bestF1CanFlagEverything() {
    ScoreEvaluation evaluation =
        new ScoreEvaluation(new double[] {0.9}, new double[] {0.1, 0.2, 0.3});
    ScoreEvaluation.BestF1 best = evaluation.bestF1();
    // flagging all: tp 3, fp 1 -> F1 = 6/7, better than any stricter threshold
    assertEquals(new ConfusionCounts(3, 1, 0, 0), best.counts());
    assertEquals(best.counts(), evaluation.at(best.threshold()));
  }

  @Test
  void rejectsEmptyOrNaNScores() {
    assertThrows(
        IllegalArgumentException.class, () -> new ScoreEvaluation(new double[0], new double[] {1}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ScoreEvaluation(new double[] {1}, new double[] {2, Double.NaN}));
    assertEquals("anomalous score 1 is NaN", e.getMessage());
  }
}
