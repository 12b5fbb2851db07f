package dev.anomalystream.core.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * The top two principal components of a set of vectors, found by power iteration on the centred
 * data, so the report can draw embeddings in the plane. The covariance matrix is never formed: each
 * iteration multiplies by {@code Xᵀ(X v)}, which costs O(n·d) instead of O(d²) memory and O(n·d²)
 * time. The start vectors come from a seeded generator, so the same data gives the same picture.
 *
 * <p>A model version stores the basis fitted on its training vectors ({@link
 * AnomalyDetector#MAP_FILE}), so the detector gives every message the same map coordinates for as
 * long as the version serves, and a dashboard's map stays put between refreshes.
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

  public int dimension() {
    return mean.length;
  }

  /** Each row's coordinates along the two components, after subtracting the fitted mean. */
  public double[][] project(float[][] rows) {
    double[][] projected = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != mean.length) {
        throw new IllegalArgumentException(
            "row " + i + " does not have the fitted dimension " + mean.length);
      }
      projected[i] = project(rows[i]);
    }
    return projected;
  }

  private double[] project(float[] row) {
    double[] coordinates = new double[2];
    for (int c = 0; c < 2; c++) {
      double sum = 0;
      for (int j = 0; j < mean.length; j++) {
        sum += (row[j] - mean[j]) * components[c][j];
      }
      coordinates[c] = sum;
    }
    return coordinates;
  }

  private static final int FORMAT = 1;

  /** Format 1: the format number, the dimension, the mean, then the two components. */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(FORMAT);
    out.writeInt(mean.length);
    for (double[] vector : new double[][] {mean, components[0], components[1]}) {
      for (double v : vector) {
        out.writeDouble(v);
      }
    }
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws IOException naming what is wrong with a file of another format or a broken one
   */
  public static Pca readFrom(DataInputStream in) throws IOException {
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("map projection of format " + format + ", expected " + FORMAT);
    }
    int dimension = in.readInt();
    if (dimension < 2 || dimension > 1 << 16) {
      throw new IOException("map projection of dimension " + dimension);
    }
    double[][] vectors = new double[3][dimension];
    for (double[] vector : vectors) {
      for (int j = 0; j < dimension; j++) {
        vector[j] = in.readDouble();
        if (!Double.isFinite(vector[j])) {
          throw new IOException("map projection holds a non-finite value");
        }
      }
    }
    return new Pca(vectors[0], new double[][] {vectors[1], vectors[2]});
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
