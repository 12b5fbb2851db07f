package dev.anomalystream.core.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KMeansCentresTest {
  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }

  private static float[] mean(float[][] points, int groups, int group) {
    float[] mean = new float[points[0].length];
    int n = 0;
    for (int i = group; i < points.length; i += groups) {
      for (int d = 0; d < mean.length; d++) {
        mean[d] += points[i][d];
      }
      n++;
    }
    for (int d = 0; d < mean.length; d++) {
      mean[d] /= n;
    }
    return mean;
  }

  @Test
  void centresLandOnWellSeparatedBlobs() {
    int groups = 3;
    // point i belongs to blob i % 3
    float[][] points = SyntheticEmbeddings.groups(new Random(5), groups, 40, 16, 0.03);
    KMeansCentres centres = KMeansCentres.fit(points, groups, 42L);
    assertEquals(groups, centres.size());
    Set<Integer> used = new HashSet<>();
    for (int g = 0; g < groups; g++) {
      float[] blobMean = mean(points, groups, g);
      int assigned = centres.nearest(points[g]);
      for (int i = g; i < points.length; i += groups) {
        assertEquals(assigned, centres.nearest(points[i]), "blob " + g + " point " + i);
        assertTrue(centres.distanceToNearest(points[i]) < 0.3, "point " + i);
      }
      assertTrue(used.add(assigned), "blob " + g + " shares centre " + assigned);
      assertTrue(
          distance(centres.centre(assigned), blobMean) < 1e-3,
          "centre " + assigned + " is the mean of blob " + g);
      assertEquals(
          distance(points[g], centres.centre(assigned)),
          centres.distanceToNearest(points[g]),
          1e-9);
    }
  }

  @Test
  void kIsLoweredToTheNumberOfPoints() {
    float[][] points = {{1f, 0f, 0f}, {0f, 1f, 0f}, {0f, 0f, 1f}};
    KMeansCentres centres = KMeansCentres.fit(points, 10, 1L);
    assertEquals(3, centres.size());
    for (float[] point : points) {
      assertEquals(0.0, centres.distanceToNearest(point), 1e-6);
    }
  }

  @Test
  void aSinglePointIsItsOwnCentre() {
    float[] point = {0.6f, -0.8f};
    KMeansCentres centres = KMeansCentres.fit(new float[][] {point}, 4, 3L);
    assertEquals(1, centres.size());
    assertArrayEquals(point, centres.centre(0), 1e-6f);
    assertEquals(0, centres.nearest(new float[] {1f, 1f}));
    assertEquals(0.0, centres.distanceToNearest(point), 1e-6);
  }

  @Test
  void noPointsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KMeansCentres.fit(new float[0][], 2, 1L));
  }

  /** Distinct values per dimension: a centre read back in the wrong order would not match. */
  private static void assertOwnCentre(int dimension) {
    float[] vector = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      vector[d] = d + 1 + d / 1000f;
    }
    float[][] copies = {vector, vector.clone(), vector.clone(), vector.clone()};
    KMeansCentres centres = KMeansCentres.fit(copies, 1, 9L);
    assertEquals(1, centres.size());
    assertArrayEquals(vector, centres.centre(0), 1e-4f, "dimension " + dimension);
  }

  @Test
  void featureOrderMapsBackFromTribuo() {
    // 10 and up: names d0, d1, d10 sort apart from the vector's order unless zero-padded
    assertOwnCentre(3);
    assertOwnCentre(10);
    assertOwnCentre(16);
    assertOwnCentre(384);
  }

  @Test
  void aDimensionZeroInEveryPointStaysZeroAndInPlace() {
    float[] a = new float[12];
    float[] b = new float[12];
    for (int d = 0; d < 12; d++) {
      a[d] = d == 4 ? 0f : d + 1;
      b[d] = d == 4 ? 0f : d + 1;
    }
    KMeansCentres centres = KMeansCentres.fit(new float[][] {a, b}, 1, 1L);
    assertArrayEquals(a, centres.centre(0), 1e-5f);
  }

  @Test
  void theCentreOfTwoPointsIsTheirMean() {
    float[] a = new float[11];
    float[] b = new float[11];
    for (int d = 0; d < 11; d++) {
      a[d] = d;
      b[d] = -2 * d + 3;
    }
    KMeansCentres centres = KMeansCentres.fit(new float[][] {a, b}, 1, 1L);
    for (int d = 0; d < 11; d++) {
      assertEquals((a[d] + b[d]) / 2.0, centres.centre(0)[d], 1e-5, "d" + d);
    }
  }

  @Test
  void duplicatesWithMoreCentresThanDistinctPointsDoNotBreak() {
    // a burst of identical texts has identical embeddings
    float[][] points = new float[8][];
    for (int i = 0; i < points.length; i++) {
      points[i] = i < 6 ? new float[] {1f, 0f, 0f} : new float[] {0f, 1f, 0f};
    }
    KMeansCentres centres = KMeansCentres.fit(points, 4, 1L);
    for (float[] point : points) {
      double d = centres.distanceToNearest(point);
      assertTrue(Double.isFinite(d), "distance " + d);
      assertEquals(0.0, d, 1e-6);
    }
    assertNotEquals(
        centres.nearest(points[0]), centres.nearest(points[7]), "the two directions apart");
  }

  @Test
  void smallClustersCanBeLeftOut() {
    Random random = new Random(13);
    float[][] blobs = SyntheticEmbeddings.groups(random, 2, 20, 16, 0.03);
    float[] outlier = new float[16];
    outlier[15] = 1f;
    float[][] points = java.util.Arrays.copyOf(blobs, blobs.length + 1);
    points[blobs.length] = outlier;
    KMeansCentres centres = KMeansCentres.fit(points, 3, 5L);
    assertEquals(3, centres.size());
    assertEquals(0.0, centres.distanceToNearest(outlier), 1e-6, "k-means++ seeds the outlier");
    KMeansCentres kept = centres.withoutClustersSmallerThan(points, 3);
    assertEquals(2, kept.size());
    assertTrue(kept.distanceToNearest(outlier) > 1.0, "" + kept.distanceToNearest(outlier));
    assertEquals(centres.distanceToNearest(points[0]), kept.distanceToNearest(points[0]), 1e-9);
    // none large enough: all kept
    assertEquals(3, centres.withoutClustersSmallerThan(points, 100).size());
  }
}
