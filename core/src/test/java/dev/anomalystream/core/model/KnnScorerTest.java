package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnnScorerTest {

  @Test
  void matchesBruteForceOnSizesThatDoNotFillTilesOrBlocks() {
    Random random = new Random(11);
    int trainingSize = 3 * KnnScorer.TILE_ROWS + 17;
    float[][] training = randomUnitVectors(random, trainingSize, 24);
    float[][] queries = randomUnitVectors(random, 2 * KnnScorer.QUERY_BLOCK + 5, 24);
    for (int k : new int[] {1, 7, trainingSize}) {
      double[] scores = new KnnScorer(training, k).score(queries);
      for (int q = 0; q < queries.length; q++) {
        assertEquals(
            bruteForce(training, queries[q], k), scores[q], 1e-5, "query " + q + " k " + k);
      }
    }
  }

  @Test
  void aTrainingVectorIsAtDistanceZeroFromItself() {
    Random random = new Random(3);
    float[][] training = randomUnitVectors(random, 50, 16);
    double[] scores = new KnnScorer(training, 1).score(new float[][] {training[17], training[42]});
    assertEquals(0.0, scores[0], 1e-6);
    assertEquals(0.0, scores[1], 1e-6);
  }

  @Test
  void averagesCosineDistancesOfTheKNearest() {
    float[][] training = {{1, 0}, {0.6f, 0.8f}};
    float[][] opposite = {{-1, 0}};
    // distances from (-1, 0): 2 to (1, 0), 1.6 to (0.6, 0.8)
    assertEquals(1.6, new KnnScorer(training, 1).score(opposite)[0], 1e-6);
    assertEquals(1.8, new KnnScorer(training, 2).score(opposite)[0], 1e-6);
  }

  @Test
  void emptyBatchGivesNoScores() {
    assertEquals(0, new KnnScorer(new float[][] {{1, 0}}, 1).score(new float[0][]).length);
  }

  @Test
  void rejectsBadArguments() {
    float[][] training = {{1, 0}, {0, 1}};
    assertThrows(IllegalArgumentException.class, () -> new KnnScorer(training, 0));
    assertThrows(IllegalArgumentException.class, () -> new KnnScorer(training, 3));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KnnScorer(training, 1).score(new float[][] {{1, 0, 0}}));
    assertEquals("query 0 has 3 dimensions, expected 2", e.getMessage());
  }

  private static double bruteForce(float[][] training, float[] query, int k) {
    double[] distances = new double[training.length];
    for (int i = 0; i < training.length; i++) {
      double dot = 0;
      for (int d = 0; d < query.length; d++) {
        dot += (double) query[d] * training[i][d];
      }
      distances[i] = 1 - dot;
    }
    Arrays.sort(distances);
    return Arrays.stream(distances, 0, k).average().orElseThrow();
  }

  static float[][] randomUnitVectors(Random random, int count, int dimension) {
    float[][] vectors = new float[count][dimension];
    for (float[] vector : vectors) {
      double norm = 0;
      for (int d = 0; d < dimension; d++) {
        vector[d] = (float) random.nextGaussian();
        norm += vector[d] * vector[d];
      }
      for (int d = 0; d < dimension; d++) {
        vector[d] /= (float) Math.sqrt(norm);
      }
    }
    return vectors;
  }
}
