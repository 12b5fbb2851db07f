package dev.anomalystream.core.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.Calibration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfSpaceTreesTest {
  private static final HalfSpaceTrees.Settings SMALL = new HalfSpaceTrees.Settings(25, 8, 100, 7);

  /** Points around the centre of the unit square, and a few far from it. */
  private static float[][] cluster(Random random, int count, float centreX, float centreY) {
    float[][] points = new float[count][];
    for (int i = 0; i < count; i++) {
      points[i] =
          new float[] {
            centreX + 0.05f * (float) random.nextGaussian(),
            centreY + 0.05f * (float) random.nextGaussian()
          };
    }
    return points;
  }

  @Test
  void pointsInSparseRegionsScoreHigher() {
    Random random = new Random(1);
    HalfSpaceTrees trees = new HalfSpaceTrees(SMALL, new float[] {0, 0}, new float[] {1, 1});
    trees.restore(Arrays.asList(cluster(random, 100, 0.3f, 0.3f)), List.of());
    double inside = trees.anomalyScore(new float[] {0.3f, 0.3f});
    double outside = trees.anomalyScore(new float[] {0.9f, 0.85f});
    assertTrue(outside > inside, outside + " > " + inside);
    assertTrue(outside <= 1.0 && inside > 0);
  }

  @Test
  void aFullLatestWindowBecomesTheReference() {
    Random random = new Random(2);
    HalfSpaceTrees trees = new HalfSpaceTrees(SMALL, new float[] {0, 0}, new float[] {1, 1});
    trees.restore(Arrays.asList(cluster(random, 100, 0.3f, 0.3f)), List.of());
    float[] newPlace = {0.8f, 0.8f};
    double before = trees.anomalyScore(newPlace);
    float[][] moved = cluster(random, 100, 0.8f, 0.8f);
    for (int i = 0; i < 99; i++) {
      assertFalse(trees.learn(moved[i]));
    }
    assertEquals(before, trees.anomalyScore(newPlace), "the latest window does not score yet");
    assertTrue(trees.learn(moved[99]));
    assertTrue(trees.anomalyScore(newPlace) < before, "after the turn the new place is normal");
    assertTrue(trees.anomalyScore(new float[] {0.3f, 0.3f}) > trees.anomalyScore(newPlace));
    assertEquals(100, trees.referencePoints().size());
    assertEquals(0, trees.latestPoints().size());
  }

  @Test
  void treesRebuiltFromTheirWindowsScoreTheSame() {
    Random random = new Random(3);
    HalfSpaceTrees trees = new HalfSpaceTrees(SMALL, new float[] {0, 0}, new float[] {1, 1});
    trees.restore(Arrays.asList(cluster(random, 100, 0.3f, 0.6f)), List.of());
    for (float[] point : cluster(random, 130, 0.6f, 0.3f)) {
      trees.learn(point);
    }
    HalfSpaceTrees rebuilt = new HalfSpaceTrees(SMALL, new float[] {0, 0}, new float[] {1, 1});
    rebuilt.restore(trees.referencePoints(), trees.latestPoints());
    for (float[] probe : cluster(random, 20, 0.5f, 0.5f)) {
      assertEquals(trees.anomalyScore(probe), rebuilt.anomalyScore(probe));
    }
    rebuilt.learn(new float[] {0.1f, 0.1f});
    assertEquals(31, rebuilt.latestPoints().size());
  }

  @Test
  void calibratedOnTrainingVectorsItFlagsOtherDirections() {
    float[][] training = SyntheticEmbeddings.generate(3000, 32, 3, 0.08, 0, 11);
    HstModel model = HstModel.fit(training, new HalfSpaceTrees.Settings(25, 10, 250, 5), 0.02);
    HalfSpaceTrees trees = model.start();
    float[][] normal = SyntheticEmbeddings.generate(500, 32, 3, 0.08, 0, 11);
    float[][] strangers = SyntheticEmbeddings.uniform(new Random(12), 200, 32);
    double[] normalScores = Arrays.stream(normal).mapToDouble(trees::anomalyScore).toArray();
    long flagged =
        Arrays.stream(strangers).filter(v -> trees.anomalyScore(v) > model.threshold()).count();
    assertTrue(
        Calibration.falseAlarmRate(normalScores, model.threshold()) <= 0.05,
        "false alarms near the 2 % target");
    assertTrue(flagged >= 150, "random directions flagged: " + flagged + " of 200");
  }

  @Test
  void refusesBadShapesAndPoints() {
    assertThrows(IllegalArgumentException.class, () -> new HalfSpaceTrees.Settings(0, 8, 100, 1));
    assertThrows(IllegalArgumentException.class, () -> new HalfSpaceTrees.Settings(5, 8, 5, 1));
    HalfSpaceTrees trees = new HalfSpaceTrees(SMALL, new float[] {0, 0}, new float[] {1, 1});
    assertThrows(IllegalArgumentException.class, () -> trees.anomalyScore(new float[] {0.5f}));
    assertThrows(
        IllegalArgumentException.class,
        () -> HstModel.fit(new float[50][2], SMALL, 0.02),
        "fewer training vectors than a window");
  }
}
