package dev.anomalystream.core.model;

import java.util.Random;

/** Unit vectors for tests: tight groups around random directions, or no structure at all. */
final class SyntheticVectors {
  private SyntheticVectors() {}

  /** {@code perGroup} vectors around each of {@code groups} random directions. */
  static float[][] groups(Random random, int groups, int perGroup, int dimension, double spread) {
    float[][] centres = uniform(random, groups, dimension);
    float[][] vectors = new float[groups * perGroup][dimension];
    for (int i = 0; i < vectors.length; i++) {
      float[] centre = centres[i % groups];
      for (int d = 0; d < dimension; d++) {
        vectors[i][d] = centre[d] + (float) (spread * random.nextGaussian());
      }
      normalise(vectors[i]);
    }
    return vectors;
  }

  /** Directions uniform on the sphere. */
  static float[][] uniform(Random random, int count, int dimension) {
    float[][] vectors = new float[count][dimension];
    for (float[] vector : vectors) {
      for (int d = 0; d < dimension; d++) {
        vector[d] = (float) random.nextGaussian();
      }
      normalise(vector);
    }
    return vectors;
  }

  private static void normalise(float[] vector) {
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < vector.length; d++) {
      vector[d] *= scale;
    }
  }
}
