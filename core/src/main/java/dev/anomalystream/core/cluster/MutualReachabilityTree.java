package dev.anomalystream.core.cluster;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Minimum spanning tree of the mutual-reachability graph, mr(a, b) = max(core(a), core(b), d(a,
 * b)), by Prim's algorithm on the dense graph with distances computed on the fly: O(n²) distance
 * evaluations, O(n·d) memory, each step parallel over the points not yet in the tree.
 *
 * <p>Every step reads all points still outside the tree, so they are kept in one contiguous array
 * in index order (streamed sequentially, prefetch-friendly) and compacted whenever half of them
 * have joined. A distance is skipped when a core distance alone already rules out an improvement
 * (the reference's {@code mst_linkage_core_vector} prunes the same way). Ties keep the earlier edge
 * and pick the lowest point index, as the reference does.
 */
final class MutualReachabilityTree {
  /** Below this many remaining points a step is cheaper than handing work to other threads. */
  private static final int PARALLEL_THRESHOLD = 2048;

  /** Edges in the order Prim added them; weights are mutual-reachability distances. */
  final int[] from;

  final int[] to;
  final double[] weights;

  private MutualReachabilityTree(int edgeCount) {
    from = new int[edgeCount];
    to = new int[edgeCount];
    weights = new double[edgeCount];
  }

  static MutualReachabilityTree build(
      float[][] points, double[] squaredNorms, double[] squaredCoreDistances) {
    int n = points.length;
    MutualReachabilityTree tree = new MutualReachabilityTree(n - 1);
    Outside outside = new Outside(points);
    double[] bestSquared = new double[n];
    Arrays.fill(bestSquared, Double.POSITIVE_INFINITY);
    int[] bestSource = new int[n];
    int chunkCount = 4 * Runtime.getRuntime().availableProcessors();
    double[] chunkMinimum = new double[chunkCount];
    int[] chunkPosition = new int[chunkCount];
    int current = 0;
    outside.remove(0);
    for (int edge = 0; edge < n - 1; edge++) {
      Step step =
          new Step(
              points[current],
              squaredNorms,
              squaredCoreDistances,
              current,
              outside,
              bestSquared,
              bestSource);
      int stored = outside.stored;
      int chosenPosition;
      if (stored - outside.removed < PARALLEL_THRESHOLD) {
        step.scan(0, stored, chunkMinimum, chunkPosition, 0);
        chosenPosition = chunkPosition[0];
      } else {
        IntStream.range(0, chunkCount)
            .parallel()
            .forEach(
                chunk ->
                    step.scan(
                        (int) ((long) stored * chunk / chunkCount),
                        (int) ((long) stored * (chunk + 1) / chunkCount),
                        chunkMinimum,
                        chunkPosition,
                        chunk));
        int bestChunk = 0;
        for (int chunk = 1; chunk < chunkCount; chunk++) {
          if (chunkMinimum[chunk] < chunkMinimum[bestChunk]) {
            bestChunk = chunk; // strict: on ties the earlier chunk (lower indices) wins
          }
        }
        chosenPosition = chunkPosition[bestChunk];
      }
      int next = outside.index[chosenPosition];
      outside.remove(chosenPosition);
      tree.from[edge] = bestSource[next];
      tree.to[edge] = next;
      tree.weights[edge] = Math.sqrt(bestSquared[next]);
      current = next;
    }
    return tree;
  }

  /** The points not yet in the tree, row after row in one array, in ascending index order. */
  private static final class Outside {
    final int dimension;
    float[] rows;
    int[] index;
    boolean[] gone;
    int stored;
    int removed;

    Outside(float[][] points) {
      dimension = points[0].length;
      stored = points.length;
      rows = new float[stored * dimension];
      index = IntStream.range(0, stored).toArray();
      gone = new boolean[stored];
      for (int i = 0; i < stored; i++) {
        System.arraycopy(points[i], 0, rows, i * dimension, dimension);
      }
    }

    void remove(int position) {
      gone[position] = true;
      removed++;
      if (removed * 2 > stored && stored > PARALLEL_THRESHOLD) {
        compact();
      }
    }

    private void compact() {
      int kept = 0;
      for (int position = 0; position < stored; position++) {
        if (!gone[position]) {
          System.arraycopy(rows, position * dimension, rows, kept * dimension, dimension);
          index[kept] = index[position];
          gone[kept] = false;
          kept++;
        }
      }
      stored = kept;
      removed = 0;
    }
  }

  /**
   * One Prim step: relax the edges from the newest tree point, and find the closest outside point.
   */
  private record Step(
      float[] currentPoint,
      double[] squaredNorms,
      double[] squaredCoreDistances,
      int current,
      Outside outside,
      double[] bestSquared,
      int[] bestSource) {

    void scan(int fromPosition, int toPosition, double[] minimumOut, int[] positionOut, int slot) {
      double currentNorm = squaredNorms[current];
      double currentCore = squaredCoreDistances[current];
      float[] rows = outside.rows;
      int dimension = outside.dimension;
      double minimum = Double.POSITIVE_INFINITY;
      int minimumPosition = -1;
      for (int position = fromPosition; position < toPosition; position++) {
        if (outside.gone[position]) {
          continue;
        }
        int candidate = outside.index[position];
        double best = bestSquared[candidate];
        double core = squaredCoreDistances[candidate];
        if (currentCore < best && core < best) {
          double squaredDistance =
              EuclideanDistances.squaredDistance(
                  currentPoint, currentNorm, rows, position * dimension, squaredNorms[candidate]);
          double reachability = Math.max(Math.max(currentCore, core), squaredDistance);
          if (reachability < best) {
            best = reachability;
            bestSquared[candidate] = reachability;
            bestSource[candidate] = current;
          }
        }
        if (best < minimum) {
          minimum = best;
          minimumPosition = position;
        }
      }
      minimumOut[slot] = minimum;
      positionOut[slot] = minimumPosition;
    }
  }
}
