package dev.anomalystream.report;

import java.util.Random;

/**
 * The top two principal components of a set of vectors, found by power iteration on the centred
 * data, so the report can draw embeddings in the plane. The covariance matrix is never formed: each
 * iteration multiplies by {@code Xᵀ(X v)}, which costs O(n·d) instead of O(d²) memory and O(n·d²)
 * time. The start vectors come from a seeded generator, so the same data gives the same picture.
 */
public final class Pca {
  private static final int MAX_ITERATIONS = 500;
  private static final double CONVERGED = 1e-10;

  private final double[] mean;
  private final double[][] components;

  private Pca(double[] mean, double[][] components) {
    this.mean = mean;
    this.components = components;
  }

  /**
   * Fits the two leading components.
   *
   * @param rows at least two vectors, all of the same dimension (at least two), finite values
   * @param seed seeds the power iteration's start vectors
   * @throws IllegalArgumentException naming the offending row when the input is unusable
   */
  public static Pca fit(float[][] rows, long seed) {
    int dimension = requireRows(rows);
    double[] mean = new double[dimension];
    for (float[] row : rows) {
      for (int j = 0; j < dimension; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < dimension; j++) {
      mean[j] /= rows.length;
    }
    double[][] centred = new double[rows.length][dimension];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < dimension; j++) {
        centred[i][j] = rows[i][j] - mean[j];
      }
    }
    Random random = new Random(seed);
    double[] first = leadingDirection(centred, random, null);
    double[] second = leadingDirection(centred, random, first);
    return new Pca(mean, new double[][] {first, second});
  }

  /** The two unit-length component directions, the one with the larger variance first. */
  public double[][] components() {
    return new double[][] {components[0].clone(), components[1].clone()};
  }

  /** Each row's coordinates along the two components, after subtracting the fitted mean. */
  public double[][] project(float[][] rows) {
    double[][] projected = new double[rows.length][2];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != mean.length) {
        throw new IllegalArgumentException(
            "row " + i + " does not have the fitted dimension " + mean.length);
      }
      for (int c = 0; c < 2; c++) {
        double sum = 0;
        for (int j = 0; j < mean.length; j++) {
          sum += (rows[i][j] - mean[j]) * components[c][j];
        }
        projected[i][c] = sum;
      }
    }
    return projected;
  }

  /**
   * Power iteration for the leading eigenvector of {@code XᵀX}, restricted to the space orthogonal
   * to {@code exclude} when given (deflation by projection keeps the second component orthogonal to
   * the first even when both variances are close).
   */
  private static double[] leadingDirection(double[][] centred, Random random, double[] exclude) {
    int dimension = centred[0].length;
    double[] direction = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      direction[j] = random.nextGaussian();
    }
    orthogonalise(direction, exclude);
    normalise(direction);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double[] next = covarianceTimes(centred, direction);
      orthogonalise(next, exclude);
      if (normalise(next) == 0) {
        // no variance left in this subspace: any orthogonal unit vector is as good as another
        return direction;
      }
      double change = 0;
      for (int j = 0; j < dimension; j++) {
        change = Math.max(change, Math.abs(next[j] - direction[j]));
      }
      direction = next;
      if (change < CONVERGED) {
        break;
      }
    }
    return direction;
  }

  private static double[] covarianceTimes(double[][] centred, double[] vector) {
    double[] result = new double[vector.length];
    for (double[] row : centred) {
      double along = 0;
      for (int j = 0; j < vector.length; j++) {
        along += row[j] * vector[j];
      }
      for (int j = 0; j < vector.length; j++) {
        result[j] += along * row[j];
      }
    }
    return result;
  }

  private static void orthogonalise(double[] vector, double[] exclude) {
    if (exclude == null) {
      return;
    }
    double along = 0;
    for (int j = 0; j < vector.length; j++) {
      along += vector[j] * exclude[j];
    }
    for (int j = 0; j < vector.length; j++) {
      vector[j] -= along * exclude[j];
    }
  }

  /** Scales to unit length and returns the length it had. */
  private static double normalise(double[] vector) {
    double squares = 0;
    for (double v : vector) {
      squares += v * v;
    }
    double length = Math.sqrt(squares);
    if (length > 0) {
      for (int j = 0; j < vector.length; j++) {
        vector[j] /= length;
      }
    }
    return length;
  }

  private static int requireRows(float[][] rows) {
    if (rows == null || rows.length < 2) {
      throw new IllegalArgumentException("PCA needs at least two vectors");
    }
    int dimension = rows[0] == null ? 0 : rows[0].length;
    if (dimension < 2) {
      throw new IllegalArgumentException("PCA needs vectors of dimension at least 2");
    }
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != dimension) {
        throw new IllegalArgumentException(
            "vector " + i + " does not have dimension " + dimension + " like vector 0");
      }
      for (float v : rows[i]) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("vector " + i + " holds a non-finite value");
        }
      }
    }
    return dimension;
  }
}
