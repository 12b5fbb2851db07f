package dev.anomalystream.bench;

import dev.anomalystream.core.model.KnnScorer;
import java.util.Locale;
import java.util.Random;

/**
 * Throughput of {@link KnnScorer} at the production size (16,000 training vectors × 384 dimensions,
 * k = 10) for streaming-sized and bulk batches, next to a plain one-query-at-a-time scalar loop in
 * the same run, so the ratio holds even when other processes share the CPU.
 *
 * <p>Usage: {@code KnnBenchmark [--training=16000] [--dimension=384] [--k=10] [--queries=2000]}.
 * Last line: one JSON object.
 */
public final class KnnBenchmark {
  private KnnBenchmark() {}

  public static void main(String[] args) {
    int trainingSize = intOption(args, "training", 16_000);
    int dimension = intOption(args, "dimension", 384);
    int k = intOption(args, "k", 10);
    int queryCount = intOption(args, "queries", 2_000);
    Random random = new Random(42);
    float[][] training = clusteredUnitVectors(random, trainingSize, dimension);
    float[][] queries = clusteredUnitVectors(random, queryCount, dimension);
    System.out.printf(
        Locale.ROOT,
        "kNN scorer: %d training vectors x %d dimensions, k=%d, %d cores%n",
        trainingSize,
        dimension,
        k,
        Runtime.getRuntime().availableProcessors());

    KnnScorer scorer = new KnnScorer(training, k);
    double batch1 = measure("blocked, batch 1", queries, 1, scorer::score);
    double batch64 = measure("blocked, batch 64", queries, 64, scorer::score);
    double bulk = measure("blocked, one batch", queries, queries.length, scorer::score);
    double naive =
        measure(
            "naive scalar, one query at a time",
            queries,
            1,
            batch -> new double[] {naiveScore(training, batch[0], k)});
    System.out.printf(
        Locale.ROOT,
        "{\"knn_per_second_batch1\": %.1f, \"knn_per_second_batch64\": %.1f,"
            + " \"knn_per_second_bulk\": %.1f, \"naive_per_second\": %.1f,"
            + " \"ratio_bulk_vs_naive\": %.2f}%n",
        batch1,
        batch64,
        bulk,
        naive,
        bulk / naive);
  }

  private interface BatchScorer {
    double[] score(float[][] batch);
  }

  /** Scores every query in batches after one warm-up pass; returns queries per second. */
  private static double measure(
      String label, float[][] queries, int batchSize, BatchScorer scorer) {
    runAll(queries, batchSize, scorer);
    long start = System.nanoTime();
    double checksum = runAll(queries, batchSize, scorer);
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = queries.length / seconds;
    System.out.printf(
        Locale.ROOT,
        "%-36s %10.1f queries/s  (%.2f ms per query, checksum %.4f)%n",
        label,
        perSecond,
        1000 * seconds / queries.length,
        checksum);
    return perSecond;
  }

  private static double runAll(float[][] queries, int batchSize, BatchScorer scorer) {
    double checksum = 0;
    for (int from = 0; from < queries.length; from += batchSize) {
      float[][] batch = new float[Math.min(batchSize, queries.length - from)][];
      System.arraycopy(queries, from, batch, 0, batch.length);
      for (double score : scorer.score(batch)) {
        checksum += score;
      }
    }
    return checksum;
  }

  /** The textbook version: a dot product per training vector, then a sort-free top-k. */
  private static double naiveScore(float[][] training, float[] query, int k) {
    float[] best = new float[k];
    java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
    for (float[] vector : training) {
      float dot = 0;
      for (int d = 0; d < query.length; d++) {
        dot += query[d] * vector[d];
      }
      int lowest = 0;
      for (int i = 1; i < k; i++) {
        if (best[i] < best[lowest]) {
          lowest = i;
        }
      }
      if (dot > best[lowest]) {
        best[lowest] = dot;
      }
    }
    double sum = 0;
    for (float similarity : best) {
      sum += similarity;
    }
    return 1 - sum / k;
  }

  /** Unit vectors around 20 random directions, like sentence embeddings of a few topics. */
  private static float[][] clusteredUnitVectors(Random random, int count, int dimension) {
    float[][] centres = new float[20][dimension];
    Random centreRandom = new Random(7);
    for (float[] centre : centres) {
      for (int d = 0; d < dimension; d++) {
        centre[d] = (float) centreRandom.nextGaussian();
      }
    }
    float[][] vectors = new float[count][dimension];
    for (float[] vector : vectors) {
      float[] centre = centres[random.nextInt(centres.length)];
      double norm = 0;
      for (int d = 0; d < dimension; d++) {
        vector[d] = centre[d] + (float) random.nextGaussian();
        norm += vector[d] * vector[d];
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dimension; d++) {
        vector[d] *= scale;
      }
    }
    return vectors;
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    String prefix = "--" + name + "=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return Integer.parseInt(arg.substring(prefix.length()));
      }
    }
    return defaultValue;
  }
}
