package dev.anomalystream.core.cluster;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Minimum spanning tree of the mutual-reachability graph, mr(a, b) = max(core(a), core(b), d(a, b)),
 * by Prim's algorithm on the dense graph with distances computed on the fly: O(n²) distance
 * evaluations, O(n) memory, each step parallel over the points not yet in the tree.
 *
 * <p>A distance is skipped when a core distance alone already rules out an improvement, which is
 * most of them once the tree has grown (the reference implementation's
 * {@code mst_linkage_core_vector} prunes the same way). Ties keep the earlier edge and pick the
 * lowest point index, as the reference does.
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

  static MutualReachabilityTree build(float[][] points, double[] squaredNorms, double[] squaredCoreDistances) {
    int n = points.length;
    MutualReachabilityTree tree = new MutualReachabilityTree(n - 1);
    double[] bestSquared = new double[n];
    Arrays.fill(bestSquared, Double.POSITIVE_INFINITY);
    int[] bestSource = new int[n];
    int[] remaining = IntStream.range(1, n).toArray(); // kept in ascending order for tie-breaking
    int remainingCount = n - 1;
    int chunkCount = 4 * Runtime.getRuntime().availableProcessors();
    double[] chunkMinimum = new double[chunkCount];
    int[] chunkPosition = new int[chunkCount];
    int current = 0;
    for (int edge = 0; edge < n - 1; edge++) {
      Step step = new Step(points, squaredNorms, squaredCoreDistances, current, remaining, bestSquared, bestSource);
      int chosenPosition;
      if (remainingCount < PARALLEL_THRESHOLD) {
        step.scan(0, remainingCount, chunkMinimum, chunkPosition, 0);
        chosenPosition = chunkPosition[0];
      } else {
        int count = remainingCount;
        IntStream.range(0, chunkCount).parallel().forEach(chunk -> step.scan(
            (int) ((long) count * chunk / chunkCount), (int) ((long) count * (chunk + 1) / chunkCount),
            chunkMinimum, chunkPosition, chunk));
        int bestChunk = 0;
        for (int chunk = 1; chunk < chunkCount; chunk++) {
          if (chunkMinimum[chunk] < chunkMinimum[bestChunk]) {
            bestChunk = chunk; // strict: on ties the earlier chunk (lower indices) wins
          }
        }
        chosenPosition = chunkPosition[bestChunk];
      }
      int next = remaining[chosenPosition];
      System.arraycopy(remaining, chosenPosition + 1, remaining, chosenPosition, remainingCount - chosenPosition - 1);
      remainingCount--;
      tree.from[edge] = bestSource[next];
      tree.to[edge] = next;
      tree.weights[edge] = Math.sqrt(bestSquared[next]);
      current = next;
    }
    return tree;
  }

  /** One Prim step: relax the edges from the newest tree point, and find the closest outside point. */
  private record Step(float[][] points, double[] squaredNorms, double[] squaredCoreDistances, int current,
      int[] remaining, double[] bestSquared, int[] bestSource) {

    void scan(int fromPosition, int toPosition, double[] minimumOut, int[] positionOut, int slot) {
      float[] currentPoint = points[current];
      double currentNorm = squaredNorms[current];
      double currentCore = squaredCoreDistances[current];
      double minimum = Double.POSITIVE_INFINITY;
      int minimumPosition = fromPosition;
      for (int position = fromPosition; position < toPosition; position++) {
        int candidate = remaining[position];
        double best = bestSquared[candidate];
        double core = squaredCoreDistances[candidate];
        if (currentCore < best && core < best) {
          double reachability = Math.max(Math.max(currentCore, core),
              EuclideanDistances.squaredDistance(currentPoint, currentNorm, points[candidate], squaredNorms[candidate]));
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
