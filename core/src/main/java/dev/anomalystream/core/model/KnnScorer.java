package dev.anomalystream.core.model;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The kNN outlier score: the mean cosine distance from a query to its k nearest training vectors,
 * exact. Training vectors and queries must be unit length (the embedder L2-normalises), so cosine
 * distance is {@code 1 - dot product}.
 *
 * <p>Speed comes from layout, not from approximation. The training vectors are stored in tiles of
 * {@value #TILE_ROWS} rows, each tile dimension-major ({@code tile[d * TILE_ROWS + row]}), so the
 * inner loop {@code similarity[row] += query[d] * tile[d][row]} runs over contiguous memory with no
 * reduction, which the JIT compiles to SIMD instructions. A tile (390 KB at 384 dimensions) stays
 * in the L2 cache while a block of {@value #QUERY_BLOCK} queries passes over it, so the 25 MB of
 * training vectors are read from memory once per block instead of once per query. Query blocks run
 * in parallel on the common fork-join pool.
 *
 * <p>A large reference is scored through a {@link KnnIndex} instead ({@link #withIndex}): the index
 * proposes the k nearest, and the score is the same mean cosine distance over those k, computed
 * from the same vectors. Then no tiles are kept; the index reads the vectors in place.
 */
public final class KnnScorer {
  static final int TILE_ROWS = 256;
  static final int QUERY_BLOCK = 16;

  /** Null when an index finds the neighbours. */
  private final float[][] tiles;

  /** Null for exact scoring. */
  private final KnnIndex index;

  private final int trainingSize;
  private final int dimension;
  private final int k;

  /**
   * @param trainingVectors unit-length training vectors, all of one dimension; copied
   * @param k how many nearest neighbours to average over, 1 ≤ k ≤ number of training vectors
   */
  public KnnScorer(float[][] trainingVectors, int k) {
    this(trainingVectors, k, null);
  }

  /**
   * A scorer whose neighbours come from {@code index}, built or read for {@code trainingVectors}.
   *
   * @param k at most the index's search beam
   */
  public static KnnScorer withIndex(float[][] trainingVectors, int k, KnnIndex index) {
    if (index.size() != trainingVectors.length) {
      throw new IllegalArgumentException(
          "the index holds " + index.size() + " vectors, the reference " + trainingVectors.length);
    }
    if (k > index.searchBeam()) {
      throw new IllegalArgumentException(
          "k (" + k + ") exceeds the index's search beam (" + index.searchBeam() + ")");
    }
    return new KnnScorer(trainingVectors, k, index);
  }

  private KnnScorer(float[][] trainingVectors, int k, KnnIndex index) {
    if (trainingVectors.length == 0) {
      throw new IllegalArgumentException("the kNN scorer needs at least one training vector");
    }
    if (k < 1 || k > trainingVectors.length) {
      throw new IllegalArgumentException(
          "k must be between 1 and the number of training vectors ("
              + trainingVectors.length
              + "), was "
              + k);
    }
    this.trainingSize = trainingVectors.length;
    this.dimension = trainingVectors[0].length;
    this.k = k;
    this.index = index;
    if (index != null) {
      this.tiles = null;
      return;
    }
    int tileCount = (trainingSize + TILE_ROWS - 1) / TILE_ROWS;
    this.tiles = new float[tileCount][dimension * TILE_ROWS];
    for (int row = 0; row < trainingSize; row++) {
      float[] vector = trainingVectors[row];
      if (vector.length != dimension) {
        throw new IllegalArgumentException(
            "training vector "
                + row
                + " has "
                + vector.length
                + " dimensions, the first has "
                + dimension);
      }
      float[] tile = tiles[row / TILE_ROWS];
      int column = row % TILE_ROWS;
      for (int d = 0; d < dimension; d++) {
        tile[d * TILE_ROWS + column] = vector[d];
      }
    }
  }

  public int k() {
    return k;
  }

  public int dimension() {
    return dimension;
  }

  public int trainingSize() {
    return trainingSize;
  }

  /** Whether an index finds the neighbours (else every training vector is compared). */
  public boolean approximate() {
    return index != null;
  }

  /**
   * Scores a batch.
   *
   * @param queries unit-length vectors of this scorer's dimension
   * @return per query, the mean cosine distance to its k nearest training vectors, in [0, 2]
   */
  public double[] score(float[][] queries) {
    float[][] nearest = nearestSimilarities(queries);
    double[] scores = new double[queries.length];
    for (int q = 0; q < queries.length; q++) {
      scores[q] = meanDistance(nearest[q]);
    }
    return scores;
  }

  /** The kNN score of a query's similarities to its k nearest: their mean cosine distance. */
  public static double meanDistance(float[] nearestSimilarities) {
    double sum = 0;
    for (float similarity : nearestSimilarities) {
      sum += similarity;
    }
    // rounding can put a unit vector's self-similarity a hair above 1
    return Math.max(0.0, 1.0 - sum / nearestSimilarities.length);
  }

  /**
   * The cosine similarities of each query to its k nearest training vectors, largest first: what
   * the score averages, for callers that search more vectors besides (the online learning memory).
   *
   * @param queries unit-length vectors of this scorer's dimension
   */
  public float[][] nearestSimilarities(float[][] queries) {
    for (int i = 0; i < queries.length; i++) {
      if (queries[i].length != dimension) {
        throw new IllegalArgumentException(
            "query " + i + " has " + queries[i].length + " dimensions, expected " + dimension);
      }
    }
    float[][] nearest = new float[queries.length][];
    if (index != null) {
      IntStream.range(0, queries.length)
          .parallel()
          .forEach(q -> nearest[q] = indexedSimilarities(queries[q]));
      return nearest;
    }
    int blocks = (queries.length + QUERY_BLOCK - 1) / QUERY_BLOCK;
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            block -> {
              int from = block * QUERY_BLOCK;
              int to = Math.min(queries.length, from + QUERY_BLOCK);
              nearestInBlock(queries, from, to, nearest);
            });
    return nearest;
  }

  private float[] indexedSimilarities(float[] query) {
    int[] neighbours = index.nearest(query, k);
    float[] similarities = new float[neighbours.length];
    for (int i = 0; i < neighbours.length; i++) {
      similarities[i] = (float) index.similarity(query, neighbours[i]);
    }
    return descending(similarities);
  }

  private void nearestInBlock(float[][] queries, int from, int to, float[][] nearest) {
    int count = to - from;
    TopK[] top = new TopK[count];
    for (int q = 0; q < count; q++) {
      top[q] = new TopK(k);
    }
    float[] similarities = new float[TILE_ROWS];
    for (int t = 0; t < tiles.length; t++) {
      float[] tile = tiles[t];
      int rowsInTile = Math.min(TILE_ROWS, trainingSize - t * TILE_ROWS);
      for (int q = 0; q < count; q++) {
        float[] query = queries[from + q];
        Arrays.fill(similarities, 0f);
        for (int d = 0; d < dimension; d++) {
          float component = query[d];
          int offset = d * TILE_ROWS;
          for (int row = 0; row < TILE_ROWS; row++) {
            similarities[row] += component * tile[offset + row];
          }
        }
        TopK queryTop = top[q];
        for (int row = 0; row < rowsInTile; row++) {
          queryTop.offer(similarities[row]);
        }
      }
    }
    for (int q = 0; q < count; q++) {
      nearest[from + q] = descending(top[q].values());
    }
  }

  private static float[] descending(float[] values) {
    float[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
      float swap = sorted[i];
      sorted[i] = sorted[j];
      sorted[j] = swap;
    }
    return sorted;
  }

  /** The k largest values offered, in a min-heap so the usual rejection costs one comparison. */
  private static final class TopK {
    private final float[] heap;
    private int size;

    TopK(int k) {
      heap = new float[k];
    }

    void offer(float value) {
      if (size < heap.length) {
        heap[size] = value;
        siftUp(size++);
      } else if (value > heap[0]) {
        heap[0] = value;
        siftDown();
      }
    }

    float[] values() {
      return Arrays.copyOf(heap, size);
    }

    private void siftUp(int index) {
      float value = heap[index];
      while (index > 0) {
        int parent = (index - 1) >>> 1;
        if (heap[parent] <= value) {
          break;
        }
        heap[index] = heap[parent];
        index = parent;
      }
      heap[index] = value;
    }

    private void siftDown() {
      float value = heap[0];
      int index = 0;
      int half = size >>> 1;
      while (index < half) {
        int child = 2 * index + 1;
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (value <= heap[child]) {
          break;
        }
        heap[index] = heap[child];
        index = child;
      }
      heap[index] = value;
    }
  }
}
