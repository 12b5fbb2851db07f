package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PcaTest {
  // two orthogonal unit directions in 5-D, neither along a coordinate axis
  private static final double[] WIDE = unit(new double[] {1, 1, 0, 0, 0});
  private static final double[] NARROW = unit(new double[] {1, -1, 0, 1, 0});

  @Test
  void recoversTheTwoDominantDirectionsUpToSign() {
    Pca pca = Pca.fit(spread(2000, 10, 3, 0.05, 7), 1);
    double[][] components = pca.components();
    assertEquals(1.0, Math.abs(dot(components[0], WIDE)), 1e-3);
    assertEquals(1.0, Math.abs(dot(components[1], NARROW)), 1e-3);
    assertEquals(1.0, dot(components[0], components[0]), 1e-9);
    assertEquals(0.0, dot(components[0], components[1]), 1e-9);
  }

  @Test
  void projectionIsTheCentredDotProductWithEachComponent() {
    float[][] rows = spread(300, 5, 2, 0.1, 3);
    Pca pca = Pca.fit(rows, 1);
    double[][] projected = pca.project(rows);
    double[][] components = pca.components();
    double[] mean = new double[5];
    for (float[] row : rows) {
      for (int j = 0; j < 5; j++) {
        mean[j] += row[j] / (double) rows.length;
      }
    }
    for (int i : new int[] {0, 17, 299}) {
      for (int c = 0; c < 2; c++) {
        double expected = 0;
        for (int j = 0; j < 5; j++) {
          expected += (rows[i][j] - mean[j]) * components[c][j];
        }
        assertEquals(expected, projected[i][c], 1e-6);
      }
    }
    // the first coordinate carries the larger variance
    assertTrue(variance(projected, 0) > variance(projected, 1));
  }

  @Test
  void sameDataAndSeedGiveTheSameProjection() {
    float[][] rows = spread(200, 4, 4.5, 0.2, 11);
    assertArrayEquals(Pca.fit(rows, 9).project(rows), Pca.fit(rows, 9).project(rows));
  }

  @Test
  void aStoredBasisProjectsAsTheFittedOne() throws IOException {
    float[][] rows = spread(200, 4, 4.5, 0.2, 11);
    Pca fitted = Pca.fit(rows, 9);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    fitted.writeTo(new DataOutputStream(bytes));
    Pca read = Pca.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertArrayEquals(fitted.project(rows), read.project(rows));

    byte[] otherFormat = bytes.toByteArray();
    otherFormat[3] = 7;
    IOException refused =
        assertThrows(
            IOException.class,
            () -> Pca.readFrom(new DataInputStream(new ByteArrayInputStream(otherFormat))));
    assertTrue(refused.getMessage().contains("format 7"), refused.getMessage());
    byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), 20);
    assertThrows(
        IOException.class,
        () -> Pca.readFrom(new DataInputStream(new ByteArrayInputStream(truncated))));
  }

  @Test
  void rejectsRowsOfDifferentDimensionNamingTheRow() {
    float[][] rows = {{1, 2, 3}, {4, 5, 6}, {7, 8}};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(rows, 1));
    assertTrue(e.getMessage().contains("vector 2"), e.getMessage());
  }

  /** Points a·WIDE + b·NARROW + noise, a and b Gaussian with the given standard deviations. */
  private static float[][] spread(
      int count, double wideDeviation, double narrowDeviation, double noise, long seed) {
    Random random = new Random(seed);
    float[][] rows = new float[count][5];
    for (int i = 0; i < count; i++) {
      double a = random.nextGaussian() * wideDeviation;
      double b = random.nextGaussian() * narrowDeviation;
      for (int j = 0; j < 5; j++) {
        rows[i][j] = (float) (3 + a * WIDE[j] + b * NARROW[j] + random.nextGaussian() * noise);
      }
    }
    return rows;
  }

  private static double variance(double[][] points, int column) {
    double mean = 0;
    for (double[] p : points) {
      mean += p[column] / points.length;
    }
    double sum = 0;
    for (double[] p : points) {
      sum += (p[column] - mean) * (p[column] - mean);
    }
    return sum / points.length;
  }

  private static double[] unit(double[] v) {
    double length = Math.sqrt(dot(v, v));
    double[] u = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = v[i] / length;
    }
    return u;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
