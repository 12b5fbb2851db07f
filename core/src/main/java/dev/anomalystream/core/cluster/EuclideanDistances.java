package dev.anomalystream.core.cluster;

import dev.anomalystream.core.simd.Simd;
import dev.anomalystream.core.simd.VectorKernel;
import java.util.stream.IntStream;

/**
 * Squared Euclidean distances between float vectors, and brute-force k-nearest-neighbour search.
 *
 * <p>Two kernels give the same answers to about 1e-6 relative:
 *
 * <ul>
 *   <li>with {@code --add-modules jdk.incubator.vector} on the JVM command line, SIMD sums of (a −
 *       b)² ({@link VectorKernel}), several times faster;
 *   <li>otherwise scalar ‖a‖² + ‖b‖² − 2a·b from precomputed norms, accumulated in double with
 *       fused multiply-adds, so the cancellation of that form stays far below the conformance
 *       tolerance even for data away from the origin; clamped at 0.
 * </ul>
 */
final class EuclideanDistances {
  /** Points per side of a distance tile: two tiles of 384-d rows stay in L1/L2 while in use. */
  private static final int TILE = 64;

  private EuclideanDistances() {}

  static double[] squaredNorms(float[][] points) {
    double[] norms = new double[points.length];
    IntStream.range(0, points.length)
        .parallel()
        .forEach(i -> norms[i] = dot(points[i], points[i], 0));
    return norms;
  }

  /**
   * Squared distance from {@code a} to the {@code a.length} values of {@code b} from {@code
   * offset}.
   */
  static double squaredDistance(
      float[] a, double squaredNormA, float[] b, int offset, double squaredNormB) {
    if (Simd.AVAILABLE) {
      return VectorKernel.squaredDistance(a, b, offset);
    }
    return Math.max(0.0, squaredNormA + squaredNormB - 2.0 * dot(a, b, offset));
  }

  private static double dot(float[] a, float[] b, int offset) {
    // eight independent fused multiply-add chains keep the FMA units busy despite their latency
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int d = 0;
    for (int end = a.length - 7; d < end; d += 8) {
      int o = offset + d;
      s0 = Math.fma(a[d], b[o], s0);
      s1 = Math.fma(a[d + 1], b[o + 1], s1);
      s2 = Math.fma(a[d + 2], b[o + 2], s2);
      s3 = Math.fma(a[d + 3], b[o + 3], s3);
      s4 = Math.fma(a[d + 4], b[o + 4], s4);
      s5 = Math.fma(a[d + 5], b[o + 5], s5);
      s6 = Math.fma(a[d + 6], b[o + 6], s6);
      s7 = Math.fma(a[d + 7], b[o + 7], s7);
    }
    for (; d < a.length; d++) {
      s0 = Math.fma(a[d], b[offset + d], s0);
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** The k nearest points of every query, nearest first (ties: lower point index first). */
  static final class Neighbours {
    final double[][] squaredDistances;
    final int[][] indices;

    private Neighbours(int queryCount, int k) {
      squaredDistances = new double[queryCount][k];
      indices = new int[queryCount][k];
    }

    private static Neighbours drain(NeighbourHeap[] heaps, int k) {
      Neighbours result = new Neighbours(heaps.length, k);
      for (int i = 0; i < heaps.length; i++) {
        heaps[i].drainAscending(result.squaredDistances[i], result.indices[i]);
      }
      return result;
    }
  }

  /** The k nearest training points of each query, tile by tile, in parallel over query tiles. */
  static Neighbours nearest(float[][] queries, float[][] points, double[] pointNorms, int k) {
    NeighbourHeap[] heaps = newHeaps(queries.length, k);
    double[] queryNorms = squaredNorms(queries);
    int queryTiles = tileCount(queries.length);
    int pointTiles = tileCount(points.length);
    IntStream.range(0, queryTiles)
        .parallel()
        .forEach(
            queryTile -> {
              double[][] tile = new double[TILE][TILE];
              for (int pointTile = 0; pointTile < pointTiles; pointTile++) {
                Span rows = Span.of(queryTile, queries.length);
                Span columns = Span.of(pointTile, points.length);
                tileDistances(queries, queryNorms, rows, points, pointNorms, columns, tile);
                offerTile(heaps, rows, columns, tile, false);
              }
            });
    return Neighbours.drain(heaps, k);
  }

  /**
   * The k nearest of every point among the points themselves (itself included, at distance 0). Each
   * pair's distance is computed once and offered to both points: a tile of rows is paired with the
   * tiles at or after it, in parallel, each heap locked while it is offered to.
   */
  static Neighbours nearestAmongThemselves(float[][] points, double[] norms, int k) {
    NeighbourHeap[] heaps = newHeaps(points.length, k);
    int tiles = tileCount(points.length);
    IntStream.range(0, tiles)
        .parallel()
        .forEach(
            rowTile -> {
              double[][] tile = new double[TILE][TILE];
              for (int columnTile = rowTile; columnTile < tiles; columnTile++) {
                Span rows = Span.of(rowTile, points.length);
                Span columns = Span.of(columnTile, points.length);
                tileDistances(points, norms, rows, points, norms, columns, tile);
                offerTile(heaps, rows, columns, tile, false);
                if (columnTile != rowTile) {
                  offerTile(heaps, rows, columns, tile, true);
                }
              }
            });
    return Neighbours.drain(heaps, k);
  }

  /** Indices [start, end) of one tile. */
  private record Span(int start, int end) {
    static Span of(int tile, int count) {
      return new Span(tile * TILE, Math.min(count, (tile + 1) * TILE));
    }

    int size() {
      return end - start;
    }
  }

  private static int tileCount(int count) {
    return (count + TILE - 1) / TILE;
  }

  private static NeighbourHeap[] newHeaps(int count, int k) {
    NeighbourHeap[] heaps = new NeighbourHeap[count];
    for (int i = 0; i < count; i++) {
      heaps[i] = new NeighbourHeap(k);
    }
    return heaps;
  }

  private static void tileDistances(
      float[][] rowPoints,
      double[] rowNorms,
      Span rows,
      float[][] columnPoints,
      double[] columnNorms,
      Span columns,
      double[][] tile) {
    int row = rows.start;
    if (!Simd.AVAILABLE) {
      // four rows at a time share each load of the column vector
      double[] dots = new double[4];
      for (; row + 4 <= rows.end; row += 4) {
        for (int column = columns.start; column < columns.end; column++) {
          dot4(
              rowPoints[row],
              rowPoints[row + 1],
              rowPoints[row + 2],
              rowPoints[row + 3],
              columnPoints[column],
              dots);
          for (int r = 0; r < 4; r++) {
            tile[row + r - rows.start][column - columns.start] =
                Math.max(0.0, rowNorms[row + r] + columnNorms[column] - 2.0 * dots[r]);
          }
        }
      }
    }
    for (; row < rows.end; row++) {
      for (int column = columns.start; column < columns.end; column++) {
        tile[row - rows.start][column - columns.start] =
            squaredDistance(
                rowPoints[row], rowNorms[row], columnPoints[column], 0, columnNorms[column]);
      }
    }
  }

  private static void dot4(
      float[] a0, float[] a1, float[] a2, float[] a3, float[] b, double[] out) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int d = 0; d < b.length; d++) {
      double x = b[d];
      s0 = Math.fma(a0[d], x, s0);
      s1 = Math.fma(a1[d], x, s1);
      s2 = Math.fma(a2[d], x, s2);
      s3 = Math.fma(a3[d], x, s3);
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  /**
   * Offers tile distances to the row points' heaps, or with {@code toColumns} to the column
   * points'.
   */
  private static void offerTile(
      NeighbourHeap[] heaps, Span rows, Span columns, double[][] tile, boolean toColumns) {
    Span owners = toColumns ? columns : rows;
    Span others = toColumns ? rows : columns;
    for (int owner = 0; owner < owners.size(); owner++) {
      NeighbourHeap heap = heaps[owners.start + owner];
      synchronized (heap) {
        for (int other = 0; other < others.size(); other++) {
          double squaredDistance = toColumns ? tile[other][owner] : tile[owner][other];
          if (squaredDistance <= heap.worst()) {
            heap.offer(squaredDistance, others.start + other);
          }
        }
      }
    }
  }
}
