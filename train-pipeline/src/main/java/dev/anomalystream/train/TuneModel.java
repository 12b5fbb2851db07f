package dev.anomalystream.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanModel;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.cluster.HdbscanResult;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.evaluation.ScoreEvaluation;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.KnnScorer;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.options.EmbeddingCacheOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.HoldOutOptions;
import dev.anomalystream.core.options.OptionValues;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The grid search behind the trainer's defaults: fits HDBSCAN for every (min_cluster_size,
 * min_samples) pair and scores normal and anomalous files with GLOSH, with the kNN score for every
 * k, and with two references (the distance to the training centroid; the mean of the GLOSH and kNN
 * ranks among held-out normal scores), printing the AUROC per anomalous file. With {@code
 * --autoencoderLayerGrid} it also trains an autoencoder ({@link AutoencoderTrainer}) per layers,
 * epochs and learning rate of the grid and scores with its reconstruction error, squared (the
 * {@code autoencoder} score) and as a cosine distance, and with the rank mean of the squared error
 * and the reference kNN score. The fit uses the same rows as {@link TrainModel} for the same {@code
 * --calibrationFraction} and {@code --seed} (the input minus its seeded calibration slice).
 *
 * <pre>
 * TuneModel --input=FILE --normal=FILE --anomalous=FILE[,FILE...]
 *   [--minClusterSizes=5,15,50] [--minSamples=1,5,15] [--ks=5,10,20]
 *   [--autoencoderLayerGrid=128-32-128,256-64-256] [--autoencoderEpochGrid=10,30]
 *   [--autoencoderLearningRateGrid=0.001] [--autoencoderBatchSize=256]
 *   [--calibrationFraction=0.1] [--seed=42]
 *   [--embeddingModel=builtin:all-minilm-l6-v2] [--embeddingCache=DIR]
 * </pre>
 *
 * The last line printed is one JSON object with every row of the grid. {@code
 * --help=TuneModelOptions} lists every option.
 */
public final class TuneModel {
  /** The options of {@code scripts/tune}. */
  public interface TuneModelOptions
      extends HoldOutOptions, EmbeddingOptions, EmbeddingCacheOptions, LabelledCorporaOptions {
    @Description("Corpus file to fit on, as scripts/train would")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("HDBSCAN min_cluster_size values of the grid (comma-separated)")
    @Default.InstanceFactory(DefaultMinClusterSizes.class)
    List<Integer> getMinClusterSizes();

    void setMinClusterSizes(List<Integer> value);

    @Description("HDBSCAN min_samples values of the grid (comma-separated)")
    @Default.InstanceFactory(DefaultMinSamples.class)
    List<Integer> getMinSamples();

    void setMinSamples(List<Integer> value);

    @Description("k values of the knn score (comma-separated)")
    @Default.InstanceFactory(DefaultKs.class)
    List<Integer> getKs();

    void setKs(List<Integer> value);

    @Description(
        "Autoencoder hidden layers of the grid, each as widths joined by '-' (comma-separated,"
            + " e.g. 128-32-128,256-64-256); empty: no autoencoder rows")
    @Default.InstanceFactory(NoLayers.class)
    List<String> getAutoencoderLayerGrid();

    void setAutoencoderLayerGrid(List<String> value);

    @Description("Autoencoder epochs of the grid (comma-separated)")
    @Default.InstanceFactory(DefaultEpochs.class)
    List<Integer> getAutoencoderEpochGrid();

    void setAutoencoderEpochGrid(List<Integer> value);

    @Description("Autoencoder learning rates of the grid (comma-separated)")
    @Default.InstanceFactory(DefaultLearningRates.class)
    List<Double> getAutoencoderLearningRateGrid();

    void setAutoencoderLearningRateGrid(List<Double> value);

    @Description("Vectors per step of the autoencoder's training")
    @Default.Integer(256)
    int getAutoencoderBatchSize();

    void setAutoencoderBatchSize(int value);

    final class NoLayers implements DefaultValueFactory<List<String>> {
      @Override
      public List<String> create(PipelineOptions options) {
        return List.of();
      }
    }

    final class DefaultEpochs implements DefaultValueFactory<List<Integer>> {
      @Override
      public List<Integer> create(PipelineOptions options) {
        return List.of(30);
      }
    }

    final class DefaultLearningRates implements DefaultValueFactory<List<Double>> {
      @Override
      public List<Double> create(PipelineOptions options) {
        return List.of(0.001);
      }
    }

    /** The grid of docs/QUALITY.md. */
    final class DefaultMinClusterSizes implements DefaultValueFactory<List<Integer>> {
      @Override
      public List<Integer> create(PipelineOptions options) {
        return List.of(5, 15, 50);
      }
    }

    final class DefaultMinSamples implements DefaultValueFactory<List<Integer>> {
      @Override
      public List<Integer> create(PipelineOptions options) {
        return List.of(1, 5, 15);
      }
    }

    final class DefaultKs implements DefaultValueFactory<List<Integer>> {
      @Override
      public List<Integer> create(PipelineOptions options) {
        return List.of(5, 10, 20);
      }
    }
  }

  private TuneModel() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(TuneModelOptions.class);
    try {
      run(args, System.out);
    } catch (Exception e) {
      System.err.println("tune: " + e.getMessage());
      System.exit(1);
    }
  }

  static void run(String[] args, PrintStream out) throws Exception {
    TuneModelOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(TuneModelOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    TextEmbeddings embeddings = TextEmbeddings.forOptions(options, out);
    SentenceEmbedder embedder = embeddings.embedder();

    ModelTrainer.HeldOut<String> split =
        ModelTrainer.splitForCalibration(
            CorpusTexts.read(options.getInput(), Set.of()).texts(),
            options.getCalibrationFraction(),
            options.getSeed());
    float[][] fit = embeddings.embed("fit", split.fit()).vectors();
    float[][] calibration = embeddings.embed("calibration", split.calibration()).vectors();
    String normalFile = options.getNormal();
    float[][] normal =
        embeddings.embed(normalFile, CorpusTexts.read(normalFile, Set.of()).texts()).vectors();
    List<String> anomalousFiles = OptionValues.nonBlank(options.getAnomalous());
    List<float[][]> anomalous = new ArrayList<>();
    for (String file : anomalousFiles) {
      anomalous.add(embeddings.embed(file, CorpusTexts.read(file, Set.of()).texts()).vectors());
    }

    ObjectNode summary = Json.MAPPER.createObjectNode();
    ArrayNode rows = summary.putArray("grid");
    out.printf("%-34s %s%n", "score", String.join("  ", names(anomalousFiles)));

    double[] centroid = centroid(fit);
    row(
        out,
        rows,
        "centroid distance",
        null,
        anomalousFiles,
        centroidDistances(centroid, normal),
        anomalous.stream().map(a -> centroidDistances(centroid, a)).toList());

    int[] ks = options.getKs().stream().mapToInt(Integer::intValue).toArray();
    List<double[]> knnNormal = new ArrayList<>();
    List<double[]> knnCalibration = new ArrayList<>();
    List<List<double[]>> knnAnomalous = new ArrayList<>();
    for (int k : ks) {
      KnnScorer scorer = new KnnScorer(fit, k);
      knnNormal.add(scorer.score(normal));
      knnCalibration.add(scorer.score(calibration));
      knnAnomalous.add(anomalous.stream().map(scorer::score).toList());
      ObjectNode params = Json.MAPPER.createObjectNode().put("k", k);
      row(
          out,
          rows,
          "knn k=" + k,
          params,
          anomalousFiles,
          knnNormal.get(knnNormal.size() - 1),
          knnAnomalous.get(knnAnomalous.size() - 1));
    }
    int knnReference = Arrays.binarySearch(ks, 10) >= 0 ? Arrays.binarySearch(ks, 10) : 0;

    for (String layers : OptionValues.nonBlank(options.getAutoencoderLayerGrid())) {
      for (int epochs : options.getAutoencoderEpochGrid()) {
        for (double learningRate : options.getAutoencoderLearningRateGrid()) {
          AutoencoderTrainer.Settings settings =
              new AutoencoderTrainer.Settings(
                  Arrays.stream(layers.split("-")).map(String::trim).map(Integer::valueOf).toList(),
                  epochs,
                  options.getAutoencoderBatchSize(),
                  learningRate,
                  options.getSeed());
          Autoencoder.Trained trained = AutoencoderTrainer.train(fit, settings);
          Autoencoder network = trained.network();
          ObjectNode params =
              Json.MAPPER
                  .createObjectNode()
                  .put("layers", layers)
                  .put("epochs", epochs)
                  .put("learning_rate", learningRate)
                  .put("batch_size", options.getAutoencoderBatchSize())
                  .put("final_loss", trained.description().finalLoss())
                  .put("fit_seconds", trained.description().trainingSeconds());
          String label =
              String.format(Locale.ROOT, "autoencoder %s e=%d lr=%s", layers, epochs, learningRate);
          double[] squaredNormal = network.score(normal);
          List<double[]> squaredAnomalous = anomalous.stream().map(network::score).toList();
          row(
              out,
              rows,
              label,
              params.deepCopy().put("error", "squared"),
              anomalousFiles,
              squaredNormal,
              squaredAnomalous);
          row(
              out,
              rows,
              "  cosine error",
              params.deepCopy().put("error", "cosine"),
              anomalousFiles,
              cosineErrors(network, normal),
              anomalous.stream().map(a -> cosineErrors(network, a)).toList());
          double[] squaredCalibration = network.score(calibration);
          double[] knnCalibrationScores = knnCalibration.get(knnReference);
          List<double[]> combinedAnomalous = new ArrayList<>();
          for (int f = 0; f < anomalous.size(); f++) {
            combinedAnomalous.add(
                combine(
                    squaredCalibration,
                    squaredAnomalous.get(f),
                    knnCalibrationScores,
                    knnAnomalous.get(knnReference).get(f)));
          }
          row(
              out,
              rows,
              "  + knn k=" + ks[knnReference] + " rank mean",
              params.deepCopy().put("error", "squared").put("k", ks[knnReference]),
              anomalousFiles,
              combine(
                  squaredCalibration,
                  squaredNormal,
                  knnCalibrationScores,
                  knnNormal.get(knnReference)),
              combinedAnomalous);
        }
      }
    }

    for (int minClusterSize : options.getMinClusterSizes()) {
      for (int minSamples : options.getMinSamples()) {
        long start = System.nanoTime();
        HdbscanResult result = Hdbscan.fit(fit, new HdbscanParams(minClusterSize, minSamples));
        double seconds = (System.nanoTime() - start) / 1e9;
        HdbscanModel model = result.model();
        double[] gloshNormal = glosh(model, normal);
        List<double[]> gloshAnomalous = anomalous.stream().map(a -> glosh(model, a)).toList();
        ObjectNode params =
            Json.MAPPER
                .createObjectNode()
                .put("min_cluster_size", minClusterSize)
                .put("min_samples", minSamples)
                .put("clusters", result.clusterCount())
                .put("noise_fraction", result.noiseFraction())
                .put("fit_seconds", seconds);
        String label =
            String.format(
                Locale.ROOT,
                "glosh mcs=%d ms=%d (%d cl, %.0f%% noise)",
                minClusterSize,
                minSamples,
                result.clusterCount(),
                100 * result.noiseFraction());
        row(out, rows, label, params, anomalousFiles, gloshNormal, gloshAnomalous);

        // rank combination: each score as its share of held-out normal scores below it
        double[] gloshCalibration = glosh(model, calibration);
        double[] knnCalibrationScores = knnCalibration.get(knnReference);
        double[] combinedNormal =
            combine(
                gloshCalibration, gloshNormal, knnCalibrationScores, knnNormal.get(knnReference));
        List<double[]> combinedAnomalous = new ArrayList<>();
        for (int f = 0; f < anomalous.size(); f++) {
          combinedAnomalous.add(
              combine(
                  gloshCalibration,
                  gloshAnomalous.get(f),
                  knnCalibrationScores,
                  knnAnomalous.get(knnReference).get(f)));
        }
        ObjectNode combinedParams = params.deepCopy().put("k", ks[knnReference]);
        row(
            out,
            rows,
            "  + knn k=" + ks[knnReference] + " rank mean",
            combinedParams,
            anomalousFiles,
            combinedNormal,
            combinedAnomalous);
      }
    }
    out.println(Json.MAPPER.writeValueAsString(summary));
  }

  private static void row(
      PrintStream out,
      ArrayNode rows,
      String label,
      ObjectNode params,
      List<String> files,
      double[] normal,
      List<double[]> anomalous) {
    ObjectNode row = Json.MAPPER.createObjectNode().put("score", label.trim());
    if (params != null) {
      row.setAll(params);
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", label));
    for (int f = 0; f < files.size(); f++) {
      double auroc = new ScoreEvaluation(normal, anomalous.get(f)).auroc();
      row.put("auroc_" + names(files).get(f), Math.round(auroc * 1e4) / 1e4);
      line.append(String.format(Locale.ROOT, "  %8.4f", auroc));
    }
    out.println(line);
    rows.add(row);
  }

  private static List<String> names(List<String> files) {
    return files.stream()
        .map(f -> Path.of(f.trim()).getFileName().toString().replaceFirst("\\.[^.]*$", ""))
        .toList();
  }

  private static double[] glosh(HdbscanModel model, float[][] vectors) {
    return Arrays.stream(model.approximatePredict(vectors))
        .mapToDouble(HdbscanModel.Prediction::outlierScore)
        .toArray();
  }

  /** Mean of each score's empirical CDF among its held-out normal scores. */
  private static double[] combine(
      double[] firstReference, double[] first, double[] secondReference, double[] second) {
    double[] sortedFirst = firstReference.clone();
    double[] sortedSecond = secondReference.clone();
    Arrays.sort(sortedFirst);
    Arrays.sort(sortedSecond);
    double[] combined = new double[first.length];
    for (int i = 0; i < combined.length; i++) {
      combined[i] = (cdf(sortedFirst, first[i]) + cdf(sortedSecond, second[i])) / 2;
    }
    return combined;
  }

  /** 1 - cos(vector, reconstruction): the error's direction only, not its length. */
  private static double[] cosineErrors(Autoencoder network, float[][] vectors) {
    float[][] reconstructions = network.reconstruct(vectors);
    double[] errors = new double[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      double dot = 0;
      double norm = 0;
      for (int d = 0; d < vectors[i].length; d++) {
        dot += (double) vectors[i][d] * reconstructions[i][d];
        norm += (double) reconstructions[i][d] * reconstructions[i][d];
      }
      // the vectors are unit length
      errors[i] = 1 - dot / Math.sqrt(norm);
    }
    return errors;
  }

  /** Share of {@code sorted} at or below {@code value}, ties broken towards the middle. */
  private static double cdf(double[] sorted, double value) {
    int below = lowerBound(sorted, value);
    int atOrBelow = lowerBound(sorted, Math.nextUp(value));
    return (below + atOrBelow) / 2.0 / sorted.length;
  }

  private static int lowerBound(double[] sorted, double value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (sorted[middle] < value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static double[] centroid(float[][] vectors) {
    double[] sum = new double[vectors[0].length];
    for (float[] vector : vectors) {
      for (int d = 0; d < sum.length; d++) {
        sum[d] += vector[d];
      }
    }
    double norm = Math.sqrt(Arrays.stream(sum).map(x -> x * x).sum());
    return Arrays.stream(sum).map(x -> x / norm).toArray();
  }

  private static double[] centroidDistances(double[] centroid, float[][] vectors) {
    double[] distances = new double[vectors.length];
    for (int i = 0; i < vectors.length; i++) {
      double dot = 0;
      for (int d = 0; d < centroid.length; d++) {
        dot += centroid[d] * vectors[i][d];
      }
      distances[i] = 1 - dot;
    }
    return distances;
  }
}
