package dev.anomalystream.core.cluster;

import java.util.Arrays;

/** The k smallest squared distances seen so far (with their point indices): a bounded max-heap. */
final class NeighbourHeap {
  private final double[] squaredDistances;
  private final int[] indices;
  private int size;

  NeighbourHeap(int capacity) {
    squaredDistances = new double[capacity];
    indices = new int[capacity];
  }

  /** Largest kept squared distance once full, +infinity before: a candidate must beat it. */
  double worst() {
    return size < squaredDistances.length ? Double.POSITIVE_INFINITY : squaredDistances[0];
  }

  void offer(double squaredDistance, int index) {
    if (size < squaredDistances.length) {
      int position = size++;
      while (position > 0) {
        int parent = (position - 1) >>> 1;
        if (!isWorse(squaredDistance, index, parent)) {
          break;
        }
        squaredDistances[position] = squaredDistances[parent];
        indices[position] = indices[parent];
        position = parent;
      }
      squaredDistances[position] = squaredDistance;
      indices[position] = index;
    } else if (isWorse(squaredDistances[0], indices[0], squaredDistance, index)) {
      siftDownFromRoot(squaredDistance, index);
    }
  }

  private void siftDownFromRoot(double squaredDistance, int index) {
    int position = 0;
    while (true) {
      int child = 2 * position + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && isWorse(child + 1, child)) {
        child++;
      }
      if (!isWorse(child, squaredDistance, index)) {
        break;
      }
      squaredDistances[position] = squaredDistances[child];
      indices[position] = indices[child];
      position = child;
    }
    squaredDistances[position] = squaredDistance;
    indices[position] = index;
  }

  /**
   * Ties on distance go to the lower index, so results do not depend on the order points were
   * visited in (blocks, threads).
   */
  private static boolean isWorse(double distanceA, int indexA, double distanceB, int indexB) {
    return distanceA > distanceB || (distanceA == distanceB && indexA > indexB);
  }

  private boolean isWorse(double squaredDistance, int index, int position) {
    return isWorse(squaredDistance, index, squaredDistances[position], indices[position]);
  }

  private boolean isWorse(int position, double squaredDistance, int index) {
    return isWorse(squaredDistances[position], indices[position], squaredDistance, index);
  }

  private boolean isWorse(int positionA, int positionB) {
    return isWorse(
        squaredDistances[positionA],
        indices[positionA],
        squaredDistances[positionB],
        indices[positionB]);
  }

  int size() {
    return size;
  }

  /** Empties the heap into the arrays, nearest first. */
  void drainAscending(double[] squaredDistancesOut, int[] indicesOut) {
    Integer[] order = new Integer[size];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> isWorse(a, b) ? 1 : isWorse(b, a) ? -1 : 0);
    for (int i = 0; i < size; i++) {
      squaredDistancesOut[i] = squaredDistances[order[i]];
      indicesOut[i] = indices[order[i]];
    }
    size = 0;
  }
}
