package dev.anomalystream.bench;

import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.ThresholdChoice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What retraining costs by history size once the embeddings are at hand (retraining reuses the
 * embeddings stored with the history): {@link ModelTrainer#train} on synthetic 384-d vectors, fit
 * and calibration, with the cluster sample, kNN reference and index crossover given. Prints per
 * size the seconds, the rows HDBSCAN fitted, the reference rows, and what the fit found.
 *
 * <p>Usage: {@code TrainBenchmark [--sizes=16000,100000,1000000] [--clusterSampleSize=8000]
 * [--knnReferenceSize=0] [--annMinReference=50000] [--calibrationRows=10000]}. Last line: one JSON
 * object.
 */
public final class TrainBenchmark {
  private TrainBenchmark() {}

  /** The options of {@code scripts/bench-train}. */
  public interface TrainBenchmarkOptions extends PipelineOptions {
    @Description("History sizes (fit rows) to train from, comma-separated")
    @Default.String("16000,100000,1000000")
    String getSizes();

    void setSizes(String value);

    @Description("Dimensions of every vector")
    @Default.Integer(384)
    int getDimension();

    void setDimension(int value);

    @Description("Rows HDBSCAN fits (0 = all), as the trainer's --clusterSampleSize")
    @Default.Integer(8_000)
    int getClusterSampleSize();

    void setClusterSampleSize(int value);

    @Description("Rows of the kNN reference (0 = all), as the trainer's --knnReferenceSize")
    @Default.Integer(0)
    int getKnnReferenceSize();

    void setKnnReferenceSize(int value);

    @Description("Reference rows from which the kNN score goes through an HNSW index")
    @Default.Integer(50_000)
    int getAnnMinReference();

    void setAnnMinReference(int value);

    @Description("Held-out calibration rows per size, at most a tenth of the size")
    @Default.Integer(10_000)
    int getCalibrationRows();

    void setCalibrationRows(int value);
  }

  public static void main(String[] args) {
    PipelineOptionsFactory.register(TrainBenchmarkOptions.class);
    TrainBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(args).as(TrainBenchmarkOptions.class);
    int[] sizes =
        Arrays.stream(options.getSizes().split(","))
            .mapToInt(size -> Integer.parseInt(size.trim()))
            .toArray();
    int dimension = options.getDimension();
    ModelTrainer.Settings settings =
        new ModelTrainer.Settings(
            "bench",
            new HdbscanParams(
                ModelTrainer.DEFAULT_MIN_CLUSTER_SIZE, ModelTrainer.DEFAULT_MIN_SAMPLES),
            ModelTrainer.DEFAULT_KNN_K,
            ScoreKind.KNN,
            0.01,
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE,
            options.getAnnMinReference(),
            ThresholdChoice.FALSE_ALARM,
            options.getClusterSampleSize(),
            options.getKnnReferenceSize());
    System.out.printf(
        Locale.ROOT,
        "train from pre-made %d-d vectors: cluster sample %d, kNN reference %d (0 = all), index"
            + " from %d, %d cores, max heap %d MB%n",
        dimension,
        settings.clusterSampleSize(),
        settings.knnReferenceSize(),
        settings.annMinReference(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    List<String> rows = new ArrayList<>();
    for (int size : sizes) {
      int calibrationRows = Math.min(options.getCalibrationRows(), Math.max(1, size / 10));
      // the topics and spread of the kNN benchmarks, 1 % random directions; one draw, so the
      // held-out rows come from the same topics
      float[][] all =
          SyntheticEmbeddings.generate(size + calibrationRows, dimension, 20, 0.05, 0.01, 42);
      float[][] fit = Arrays.copyOf(all, size);
      float[][] calibration = Arrays.copyOfRange(all, size, all.length);
      all = null;
      long start = System.nanoTime();
      ModelTrainer.TrainedModel trained =
          ModelTrainer.train(
              fit,
              calibration,
              settings,
              new ModelMetadata.Embedding("synthetic", dimension, "cls", "l2"),
              new ModelMetadata.TrainingSource("synthetic", "TrainBenchmark", null, null, null),
              Instant.now());
      double seconds = (System.nanoTime() - start) / 1e9;
      int reference =
          trained.knnReference() == null
              ? trained.model().trainingPoints().length
              : trained.knnReference().length;
      System.out.printf(
          Locale.ROOT,
          "%,d fit rows (+%,d calibration): %.1f s; HDBSCAN on %,d rows, %d clusters, %.1f%%"
              + " noise; kNN reference %,d rows, %s; threshold %s%n",
          size,
          calibrationRows,
          seconds,
          trained.model().trainingPoints().length,
          trained.fit().clusterCount(),
          100 * trained.fit().noiseFraction(),
          reference,
          trained.knnIndex() == null ? "exact" : "HNSW index",
          trained.calibration() == null ? "none" : trained.calibration().threshold());
      rows.add(
          String.format(
              Locale.ROOT,
              "{\"fit_rows\": %d, \"calibration_rows\": %d, \"seconds\": %.1f,"
                  + " \"cluster_rows\": %d, \"clusters\": %d, \"noise_fraction\": %.4f,"
                  + " \"reference_rows\": %d, \"indexed\": %b}",
              size,
              calibrationRows,
              seconds,
              trained.model().trainingPoints().length,
              trained.fit().clusterCount(),
              trained.fit().noiseFraction(),
              reference,
              trained.knnIndex() != null));
    }
    System.out.printf(Locale.ROOT, "{\"runs\": [%s]}%n", String.join(", ", rows));
  }
}
