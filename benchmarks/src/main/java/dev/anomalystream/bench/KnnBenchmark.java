package dev.anomalystream.bench;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.KnnScorer;
import dev.anomalystream.core.options.DeprecatedFlags;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Throughput of {@link KnnScorer} at the production size (16,000 training vectors × 384 dimensions,
 * k = 10) for streaming-sized and bulk batches, next to a plain one-query-at-a-time scalar loop in
 * the same run, so the ratio holds even when other processes share the CPU.
 *
 * <p>Usage: {@code KnnBenchmark [--training=16000] [--dimension=384] [--knnK=10] [--queries=2000]}
 * ({@code --k} is the old spelling of {@code --knnK}; {@code --help=KnnBenchmarkOptions} lists
 * all). Last line: one JSON object.
 */
public final class KnnBenchmark {
  /** Unit vectors around a few topic directions, like sentence embeddings of a few subjects. */
  private static final int TOPICS = 20;

  /** Per-dimension noise around a topic: about as large as the topic direction itself in 384-d. */
  private static final double TOPIC_SPREAD = 0.05;

  private KnnBenchmark() {}

  /** The options of {@code scripts/bench-knn}. */
  public interface KnnBenchmarkOptions extends PipelineOptions {
    @Description("Training (reference) vectors the scorer searches")
    @Default.Integer(16_000)
    int getTraining();

    void setTraining(int value);

    @Description("Dimensions of every vector")
    @Default.Integer(384)
    int getDimension();

    void setDimension(int value);

    @Description("Neighbours averaged by the knn score")
    @Default.Integer(10)
    int getKnnK();

    void setKnnK(int value);

    @Description("Queries scored per measurement")
    @Default.Integer(2_000)
    int getQueries();

    void setQueries(int value);
  }

  public static void main(String[] args) {
    PipelineOptionsFactory.register(KnnBenchmarkOptions.class);
    KnnBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(
                new DeprecatedFlags("bench-knn", Map.of("k", "knnK")).rewrite(args, System.err))
            .as(KnnBenchmarkOptions.class);
    int trainingSize = options.getTraining();
    int dimension = options.getDimension();
    int k = options.getKnnK();
    float[][] vectors = syntheticVectors(trainingSize + options.getQueries(), dimension);
    float[][] training = Arrays.copyOfRange(vectors, 0, trainingSize);
    float[][] queries = Arrays.copyOfRange(vectors, trainingSize, vectors.length);
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

  /**
   * Training vectors and queries in one draw, so the queries come from the same topics as the
   * training vectors.
   */
  static float[][] syntheticVectors(int count, int dimension) {
    return SyntheticEmbeddings.generate(count, dimension, TOPICS, TOPIC_SPREAD, 0.0, 42);
  }

  interface BatchScorer {
    double[] score(float[][] batch);
  }

  /** Scores every query in batches after one warm-up pass; returns queries per second. */
  static double measure(String label, float[][] queries, int batchSize, BatchScorer scorer) {
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
}
