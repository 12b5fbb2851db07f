package dev.anomalystream.core.cluster;

import java.util.stream.IntStream;

/**
 * Euclidean distances between float vectors, accumulated in double.
 *
 * <p>Squared distances are computed as ‖a‖² + ‖b‖² − 2a·b from precomputed norms: one multiply-add
 * per dimension instead of a subtract and a multiply-add. Accumulating in double keeps the
 * cancellation error of that form far below what the conformance tolerance notices, even for
 * data away from the origin; results are clamped at 0.
 */
final class EuclideanDistances {
  /** Queries handled together by one task: the points then stream once per block from cache. */
  private static final int QUERY_BLOCK = 64;
  /** Points (rows) kept hot in L2 while a query block runs over them. */
  private static final int POINT_BLOCK = 256;

  private EuclideanDistances() {}

  static double[] squaredNorms(float[][] points) {
    double[] norms = new double[points.length];
    IntStream.range(0, points.length).parallel().forEach(i -> norms[i] = dot(points[i], points[i]));
    return norms;
  }

  static double dot(float[] a, float[] b) {
    // independent accumulators let the CPU overlap the multiply-adds
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int d = 0;
    int end = a.length - 3;
    for (; d < end; d += 4) {
      s0 += (double) a[d] * b[d];
      s1 += (double) a[d + 1] * b[d + 1];
      s2 += (double) a[d + 2] * b[d + 2];
      s3 += (double) a[d + 3] * b[d + 3];
    }
    for (; d < a.length; d++) {
      s0 += (double) a[d] * b[d];
    }
    return (s0 + s1) + (s2 + s3);
  }

  static double squaredDistance(float[] a, double squaredNormA, float[] b, double squaredNormB) {
    return Math.max(0.0, squaredNormA + squaredNormB - 2.0 * dot(a, b));
  }

  /** The k nearest points of every query, nearest first (ties: lower point index first). */
  static final class Neighbours {
    final double[][] squaredDistances;
    final int[][] indices;

    private Neighbours(int queryCount, int k) {
      squaredDistances = new double[queryCount][k];
      indices = new int[queryCount][k];
    }
  }

  /**
   * Brute-force k-nearest-neighbour search, blocked for cache reuse and parallel over query
   * blocks. A query that is itself one of the points finds itself at distance 0.
   */
  static Neighbours nearest(float[][] queries, float[][] points, double[] pointNorms, int k) {
    Neighbours result = new Neighbours(queries.length, k);
    int blocks = (queries.length + QUERY_BLOCK - 1) / QUERY_BLOCK;
    IntStream.range(0, blocks).parallel().forEach(block -> {
      int from = block * QUERY_BLOCK;
      int to = Math.min(queries.length, from + QUERY_BLOCK);
      searchBlock(queries, from, to, points, pointNorms, k, result);
    });
    return result;
  }

  private static void searchBlock(float[][] queries, int from, int to, float[][] points,
      double[] pointNorms, int k, Neighbours result) {
    int count = to - from;
    NeighbourHeap[] heaps = new NeighbourHeap[count];
    double[] queryNorms = new double[count];
    for (int q = 0; q < count; q++) {
      heaps[q] = new NeighbourHeap(k);
      queryNorms[q] = dot(queries[from + q], queries[from + q]);
    }
    double[] dots = new double[4];
    for (int pointStart = 0; pointStart < points.length; pointStart += POINT_BLOCK) {
      int pointEnd = Math.min(points.length, pointStart + POINT_BLOCK);
      int q = 0;
      for (; q + 4 <= count; q += 4) {
        float[] a0 = queries[from + q], a1 = queries[from + q + 1];
        float[] a2 = queries[from + q + 2], a3 = queries[from + q + 3];
        for (int p = pointStart; p < pointEnd; p++) {
          dot4(a0, a1, a2, a3, points[p], dots);
          for (int r = 0; r < 4; r++) {
            offer(heaps[q + r], queryNorms[q + r] + pointNorms[p] - 2.0 * dots[r], p);
          }
        }
      }
      for (; q < count; q++) {
        float[] a = queries[from + q];
        for (int p = pointStart; p < pointEnd; p++) {
          offer(heaps[q], queryNorms[q] + pointNorms[p] - 2.0 * dot(a, points[p]), p);
        }
      }
    }
    for (int q = 0; q < count; q++) {
      heaps[q].drainAscending(result.squaredDistances[from + q], result.indices[from + q]);
    }
  }

  private static void offer(NeighbourHeap heap, double squaredDistance, int index) {
    double clamped = Math.max(0.0, squaredDistance);
    if (clamped <= heap.worst()) {
      heap.offer(clamped, index);
    }
  }

  /** Four dot products against one shared vector: each element of {@code b} is loaded once. */
  private static void dot4(float[] a0, float[] a1, float[] a2, float[] a3, float[] b, double[] out) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int d = 0; d < b.length; d++) {
      double x = b[d];
      s0 += a0[d] * x;
      s1 += a1[d] * x;
      s2 += a2[d] * x;
      s3 += a3[d] * x;
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }
}
