package dev.anomalystream.core.dataset;

import java.util.Random;

/**
 * Seeded stand-ins for L2-normalised sentence embeddings: a few random unit directions, points
 * scattered around them with gaussian noise, a share of uniformly random directions as outliers,
 * all normalised; or plain groups and uniform directions. Shared by the tests and the benchmark.
 */
public final class SyntheticEmbeddings {
  private SyntheticEmbeddings() {}

  /**
   * @param spread standard deviation of the per-dimension noise around a direction (relative to a
   *     unit vector; 0.03 in 384-d keeps clusters well apart)
   * @param outlierFraction share of points drawn as random directions
   */
  public static float[][] generate(
      int count, int dimension, int directions, double spread, double outlierFraction, long seed) {
    Random random = new Random(seed);
    float[][] centres = new float[directions][];
    for (int c = 0; c < directions; c++) {
      centres[c] = randomUnit(random, dimension);
    }
    float[][] points = new float[count][];
    for (int i = 0; i < count; i++) {
      if (random.nextDouble() < outlierFraction) {
        points[i] = randomUnit(random, dimension);
      } else {
        float[] centre = centres[random.nextInt(directions)];
        float[] point = new float[dimension];
        for (int d = 0; d < dimension; d++) {
          point[d] = (float) (centre[d] + spread * random.nextGaussian());
        }
        points[i] = normalised(point);
      }
    }
    return points;
  }

  /**
   * {@code perGroup} points around each of {@code groups} random directions, point i around
   * direction {@code i % groups}, each normalised.
   */
  public static float[][] groups(
      Random random, int groups, int perGroup, int dimension, double spread) {
    float[][] centres = uniform(random, groups, dimension);
    float[][] points = new float[groups * perGroup][dimension];
    for (int i = 0; i < points.length; i++) {
      float[] centre = centres[i % groups];
      for (int d = 0; d < dimension; d++) {
        points[i][d] = centre[d] + (float) (spread * random.nextGaussian());
      }
      normalised(points[i]);
    }
    return points;
  }

  /** Directions uniform on the sphere. */
  public static float[][] uniform(Random random, int count, int dimension) {
    float[][] directions = new float[count][];
    for (int i = 0; i < count; i++) {
      directions[i] = randomUnit(random, dimension);
    }
    return directions;
  }

  private static float[] randomUnit(Random random, int dimension) {
    float[] vector = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) random.nextGaussian();
    }
    return normalised(vector);
  }

  private static float[] normalised(float[] vector) {
    double squaredNorm = 0;
    for (float value : vector) {
      squaredNorm += value * value;
    }
    float scale = (float) (1.0 / Math.sqrt(squaredNorm));
    for (int d = 0; d < vector.length; d++) {
      vector[d] *= scale;
    }
    return vector;
  }
}
