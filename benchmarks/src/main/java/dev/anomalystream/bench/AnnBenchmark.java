package dev.anomalystream.bench;

import dev.anomalystream.core.model.KnnIndex;
import dev.anomalystream.core.model.KnnScorer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Exact kNN scoring against the HNSW index ({@link KnnIndex}) on the synthetic unit vectors of
 * {@link KnnBenchmark}: index build time and size, queries per second of both, and, per search
 * beam, recall@k of the index's neighbours against the exact ones and the score's mean absolute
 * difference from the exact score.
 *
 * <p>Usage: {@code AnnBenchmark [--training=100000] [--dimension=384] [--knnK=100]
 * [--searchBeams=100,200,300] [--queries=2000] [--exactQueries=500] [--recallQueries=200]}. Last
 * line: one JSON object.
 */
public final class AnnBenchmark {
  private AnnBenchmark() {}

  /** The options of {@code scripts/bench-ann}. */
  public interface AnnBenchmarkOptions extends PipelineOptions {
    @Description("Training (reference) vectors")
    @Default.Integer(100_000)
    int getTraining();

    void setTraining(int value);

    @Description("Dimensions of every vector")
    @Default.Integer(384)
    int getDimension();

    void setDimension(int value);

    @Description("Neighbours averaged by the knn score (the trainer's default is 100)")
    @Default.Integer(100)
    int getKnnK();

    void setKnnK(int value);

    @Description("Search beams (candidates kept per search) to measure, comma-separated")
    @Default.String("100,200,300")
    String getSearchBeams();

    void setSearchBeams(String value);

    @Description("Links per node of the graph (twice as many on the bottom level)")
    @Default.Integer(KnnIndex.DEFAULT_MAX_CONNECTIONS)
    int getMaxConnections();

    void setMaxConnections(int value);

    @Description("Candidates kept while a node is inserted into the graph")
    @Default.Integer(KnnIndex.DEFAULT_BUILD_BEAM)
    int getBuildBeam();

    void setBuildBeam(int value);

    @Description("Queries scored through the index per measurement")
    @Default.Integer(2_000)
    int getQueries();

    void setQueries(int value);

    @Description("Queries scored exactly (exact search is slow at large references)")
    @Default.Integer(500)
    int getExactQueries();

    void setExactQueries(int value);

    @Description("Queries whose neighbours are compared with the exact ones")
    @Default.Integer(200)
    int getRecallQueries();

    void setRecallQueries(int value);
  }

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(AnnBenchmarkOptions.class);
    AnnBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(args).as(AnnBenchmarkOptions.class);
    int trainingSize = options.getTraining();
    int k = options.getKnnK();
    int[] beams =
        Arrays.stream(options.getSearchBeams().split(","))
            .mapToInt(beam -> Integer.parseInt(beam.trim()))
            .toArray();
    int queryCount = options.getQueries();
    float[][] vectors =
        KnnBenchmark.syntheticVectors(trainingSize + queryCount, options.getDimension());
    float[][] training = Arrays.copyOfRange(vectors, 0, trainingSize);
    float[][] queries = Arrays.copyOfRange(vectors, trainingSize, vectors.length);
    vectors = null;
    System.out.printf(
        Locale.ROOT,
        "HNSW vs exact kNN: %d training vectors x %d dimensions, k=%d, %d cores, max heap %d MB%n",
        trainingSize,
        options.getDimension(),
        k,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);

    float[][] exactQueries =
        Arrays.copyOf(queries, Math.min(options.getExactQueries(), queryCount));
    KnnScorer exact = new KnnScorer(training, k);
    double exactPerSecond =
        KnnBenchmark.measure("exact, one batch", exactQueries, exactQueries.length, exact::score);
    double[] exactScores = exact.score(exactQueries);
    exact = null;

    float[][] recallQueries =
        Arrays.copyOf(queries, Math.min(options.getRecallQueries(), queryCount));
    int[][] exactNeighbours =
        IntStream.range(0, recallQueries.length)
            .parallel()
            .mapToObj(q -> KnnIndex.exactNearest(training, recallQueries[q], k))
            .toArray(int[][]::new);

    int largestBeam = Arrays.stream(beams).max().orElseThrow();
    long heapBefore = usedHeap();
    long start = System.nanoTime();
    KnnIndex built =
        KnnIndex.build(
            training, options.getMaxConnections(), options.getBuildBeam(), largestBeam, 42);
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    long indexHeap = usedHeap() - heapBefore;
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    built.writeTo(new DataOutputStream(file));
    byte[] bytes = file.toByteArray();
    System.out.printf(
        Locale.ROOT,
        "index build %.1f s (%.0f vectors/s), %d levels, %d links, file %.1f MB, heap after build"
            + " about %.1f MB more%n",
        buildSeconds,
        trainingSize / buildSeconds,
        built.levels(),
        built.links(),
        bytes.length / 1e6,
        indexHeap / 1e6);

    List<String> rows = new ArrayList<>();
    for (int beam : beams) {
      KnnIndex index = built.withSearchBeam(beam);
      KnnScorer approximate = KnnScorer.withIndex(training, k, index);
      double batch1 =
          KnnBenchmark.measure("index, beam " + beam + ", batch 1", queries, 1, approximate::score);
      double bulk =
          KnnBenchmark.measure(
              "index, beam " + beam + ", one batch", queries, queryCount, approximate::score);
      double recall =
          IntStream.range(0, recallQueries.length)
                  .parallel()
                  .mapToDouble(q -> overlap(index.nearest(recallQueries[q], k), exactNeighbours[q]))
                  .sum()
              / ((double) recallQueries.length * k);
      double[] scores = approximate.score(exactQueries);
      double difference = 0;
      double largest = 0;
      for (int q = 0; q < scores.length; q++) {
        double gap = Math.abs(scores[q] - exactScores[q]);
        difference += gap;
        largest = Math.max(largest, gap);
      }
      difference /= scores.length;
      System.out.printf(
          Locale.ROOT,
          "beam %d: recall@%d %.4f, score |diff| mean %.2e max %.2e%n",
          beam,
          k,
          recall,
          difference,
          largest);
      rows.add(
          String.format(
              Locale.ROOT,
              "{\"search_beam\": %d, \"recall\": %.4f, \"score_mean_abs_diff\": %.3e,"
                  + " \"score_max_abs_diff\": %.3e, \"per_second_batch1\": %.1f,"
                  + " \"per_second_bulk\": %.1f}",
              beam,
              recall,
              difference,
              largest,
              batch1,
              bulk));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"training\": %d, \"dimension\": %d, \"k\": %d, \"exact_per_second_bulk\": %.1f,"
            + " \"build_seconds\": %.1f, \"index_file_bytes\": %d, \"links\": %d,"
            + " \"beams\": [%s]}%n",
        trainingSize,
        options.getDimension(),
        k,
        exactPerSecond,
        buildSeconds,
        bytes.length,
        built.links(),
        String.join(", ", rows));
  }

  private static double overlap(int[] found, int[] exact) {
    Set<Integer> expected = new HashSet<>();
    for (int node : exact) {
      expected.add(node);
    }
    int hits = 0;
    for (int node : found) {
      if (expected.contains(node)) {
        hits++;
      }
    }
    return hits;
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
