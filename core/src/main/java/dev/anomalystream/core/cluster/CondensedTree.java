package dev.anomalystream.core.cluster;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The condensed cluster tree of HDBSCAN* with the excess-of-mass selection made on it.
 *
 * <p>Clusters are numbered 0 (the root) upwards in the order the reference implementation numbers
 * them (its id minus the point count), so every cluster's parent has a smaller number. Lambda is 1
 * / distance (+infinity at distance 0). Each point leaves exactly one cluster, at {@code
 * pointLambda}; each non-root cluster is born at {@code clusterBirth}, the lambda of the split that
 * created it.
 */
final class CondensedTree {
  final int[] pointParent;
  final double[] pointLambda;

  /** Parent cluster of each cluster; -1 for the root. */
  final int[] clusterParent;

  final double[] clusterBirth;

  /** The clusters excess of mass selected (never the root: allow_single_cluster is false). */
  final boolean[] selected;

  CondensedTree(
      int[] pointParent,
      double[] pointLambda,
      int[] clusterParent,
      double[] clusterBirth,
      boolean[] selected) {
    this.pointParent = pointParent;
    this.pointLambda = pointLambda;
    this.clusterParent = clusterParent;
    this.clusterBirth = clusterBirth;
    this.selected = selected;
  }

  int clusterCount() {
    return clusterParent.length;
  }

  /**
   * Per cluster the largest lambda among its own rows (points leaving it and child clusters born
   * from it): the reference's {@code max_lambdas}, used to normalise membership probabilities.
   */
  double[] ownMaxLambdas() {
    double[] deaths = new double[clusterCount()];
    for (int point = 0; point < pointParent.length; point++) {
      deaths[pointParent[point]] = Math.max(deaths[pointParent[point]], pointLambda[point]);
    }
    for (int cluster = 1; cluster < clusterCount(); cluster++) {
      deaths[clusterParent[cluster]] =
          Math.max(deaths[clusterParent[cluster]], clusterBirth[cluster]);
    }
    return deaths;
  }

  /** {@link #ownMaxLambdas()} maximised over each cluster's subtree: the GLOSH normaliser. */
  double[] subtreeMaxLambdas() {
    double[] deaths = ownMaxLambdas();
    for (int cluster = clusterCount() - 1; cluster > 0; cluster--) {
      deaths[clusterParent[cluster]] = Math.max(deaths[clusterParent[cluster]], deaths[cluster]);
    }
    return deaths;
  }

  /**
   * Builds the tree from the mutual-reachability spanning tree: single-linkage merge order,
   * condensing with {@code minClusterSize}, stabilities, excess-of-mass selection.
   */
  static CondensedTree fromSpanningTree(
      MutualReachabilityTree spanningTree, int pointCount, int minClusterSize) {
    SingleLinkage linkage = SingleLinkage.of(spanningTree, pointCount);
    return new Builder(linkage, pointCount, minClusterSize).build();
  }

  /**
   * Merges in scipy linkage form: row r creates node pointCount + r from nodes left[r] and
   * right[r].
   */
  private record SingleLinkage(int[] left, int[] right, double[] distance, int[] size) {

    static SingleLinkage of(MutualReachabilityTree tree, int pointCount) {
      int edges = tree.weights.length;
      // stable, so equal weights keep Prim's order
      Integer[] order = IntStream.range(0, edges).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble(edge -> tree.weights[edge]));
      int[] parent = new int[2 * pointCount - 1];
      Arrays.fill(parent, -1);
      int[] nodeSize = new int[2 * pointCount - 1];
      Arrays.fill(nodeSize, 0, pointCount, 1);
      SingleLinkage linkage =
          new SingleLinkage(new int[edges], new int[edges], new double[edges], new int[edges]);
      for (int row = 0; row < edges; row++) {
        int edge = order[row];
        int a = root(parent, tree.from[edge]);
        int b = root(parent, tree.to[edge]);
        int merged = pointCount + row;
        linkage.left[row] = a;
        linkage.right[row] = b;
        linkage.distance[row] = tree.weights[edge];
        linkage.size[row] = nodeSize[a] + nodeSize[b];
        nodeSize[merged] = linkage.size[row];
        parent[a] = merged;
        parent[b] = merged;
      }
      return linkage;
    }

    private static int root(int[] parent, int node) {
      int root = node;
      while (parent[root] != -1) {
        root = parent[root];
      }
      while (parent[node] != -1 && parent[node] != root) { // path compression
        int next = parent[node];
        parent[node] = root;
        node = next;
      }
      return root;
    }
  }

  private static final class Builder {
    private final SingleLinkage linkage;
    private final int pointCount;
    private final int minClusterSize;
    private final int[] pointParent;
    private final double[] pointLambda;
    private final int[] clusterParent;
    private final double[] clusterBirth;
    private final double[] stability;
    private int clusterCount;

    Builder(SingleLinkage linkage, int pointCount, int minClusterSize) {
      this.linkage = linkage;
      this.pointCount = pointCount;
      this.minClusterSize = minClusterSize;
      pointParent = new int[pointCount];
      pointLambda = new double[pointCount];
      // every split makes two clusters of at least minClusterSize >= 2 points, so n clusters is
      // ample
      clusterParent = new int[pointCount];
      clusterBirth = new double[pointCount];
      stability = new double[pointCount];
    }

    CondensedTree build() {
      condense();
      boolean[] selected = selectExcessOfMass();
      return new CondensedTree(
          pointParent,
          pointLambda,
          Arrays.copyOf(clusterParent, clusterCount),
          Arrays.copyOf(clusterBirth, clusterCount),
          selected);
    }

    private int sizeOf(int node) {
      return node < pointCount ? 1 : linkage.size[node - pointCount];
    }

    /**
     * Walks the merges from the top, breadth first like the reference: a split into two parts of at
     * least minClusterSize makes two new clusters; a smaller part's points fall out of the current
     * cluster at that lambda; the larger part carries the cluster on.
     */
    private void condense() {
      int root = 2 * pointCount - 2;
      int[] clusterOfNode = new int[2 * pointCount - 1];
      clusterParent[0] = -1;
      clusterCount = 1;
      clusterOfNode[root] = 0;
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      queue.add(root);
      while (!queue.isEmpty()) {
        int node = queue.poll();
        int row = node - pointCount;
        int left = linkage.left[row];
        int right = linkage.right[row];
        double distance = linkage.distance[row];
        double lambda = distance > 0.0 ? 1.0 / distance : Double.POSITIVE_INFINITY;
        int cluster = clusterOfNode[node];
        boolean leftIsCluster = sizeOf(left) >= minClusterSize;
        boolean rightIsCluster = sizeOf(right) >= minClusterSize;
        if (leftIsCluster && rightIsCluster) {
          for (int child : new int[] {left, right}) {
            int newCluster = clusterCount++;
            clusterParent[newCluster] = cluster;
            clusterBirth[newCluster] = lambda;
            addToStability(cluster, lambda, sizeOf(child));
            clusterOfNode[child] = newCluster;
            queue.add(child);
          }
        } else {
          for (int child : new int[] {left, right}) {
            if (sizeOf(child) >= minClusterSize) {
              clusterOfNode[child] = cluster;
              if (child >= pointCount) {
                queue.add(child);
              }
            } else {
              fallOut(child, cluster, lambda);
            }
          }
        }
      }
    }

    /** All points under {@code node} leave {@code cluster} at {@code lambda}. */
    private void fallOut(int node, int cluster, double lambda) {
      ArrayDeque<Integer> stack = new ArrayDeque<>();
      stack.push(node);
      while (!stack.isEmpty()) {
        int current = stack.pop();
        if (current < pointCount) {
          pointParent[current] = cluster;
          pointLambda[current] = lambda;
          addToStability(cluster, lambda, 1);
        } else {
          stack.push(linkage.right[current - pointCount]);
          stack.push(linkage.left[current - pointCount]);
        }
      }
    }

    private void addToStability(int cluster, double lambda, int size) {
      stability[cluster] += (lambda - clusterBirth[cluster]) * size;
    }

    /**
     * Excess of mass, children before parents: a cluster is kept when its stability is at least the
     * sum of its children's (as propagated), which then unselects everything below it.
     */
    private boolean[] selectExcessOfMass() {
      double[] childStabilitySum = new double[clusterCount];
      boolean[] kept = new boolean[clusterCount];
      for (int cluster = clusterCount - 1; cluster > 0; cluster--) {
        // The reference holds the children's sum in a C float; rounding it the same way keeps
        // near-ties deciding as they do there.
        double childSum = (float) childStabilitySum[cluster];
        if (childSum > stability[cluster]) {
          stability[cluster] = childSum;
        } else {
          kept[cluster] = true;
        }
        childStabilitySum[clusterParent[cluster]] += stability[cluster];
      }
      boolean[] selected = new boolean[clusterCount];
      boolean[] keptAncestor = new boolean[clusterCount];
      for (int cluster = 1; cluster < clusterCount; cluster++) {
        int parent = clusterParent[cluster];
        keptAncestor[cluster] = keptAncestor[parent] || kept[parent];
        selected[cluster] = kept[cluster] && !keptAncestor[cluster];
      }
      return selected;
    }
  }
}
