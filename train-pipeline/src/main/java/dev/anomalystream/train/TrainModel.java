package dev.anomalystream.train;

import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.MessageSelection;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ThresholdMethod;
import dev.anomalystream.core.options.DeprecatedFlags;
import dev.anomalystream.core.options.EmbeddingCacheOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.OptionValues;
import dev.anomalystream.core.options.TrainingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Trains a model from a corpus file and publishes it: embeds, holds out a calibration slice (a
 * separate file, or a seeded 10 % of the input), fits HDBSCAN, calibrates, gates, then writes a new
 * version and points LATEST at it.
 *
 * <pre>
 * TrainModel --input=FILE --modelRoot=DIR [--modelName=tweets] [--minClusterSize=10]
 *   [--minSamples=10] [--knnK=100] [--score=knn|glosh|autoencoder] [--autoencoder]
 *   [--autoencoderLayers=128,32,128] [--autoencoderEpochs=20] [--classes=joy,sadness]
 *   [--calibration=FILE] [--calibrationFraction=0.1] [--seed=42] [--targetFalseAlarmRate=0.01]
 *   [--targetFalseDriftRate=0.1] [--annMinReference=N]
 *   [--thresholdMethod=false-alarm|percentile|best-f1] [--thresholdPercentile=99]
 *   [--labelledAnomalies=FILE]
 *   [--embeddingModel=builtin:all-minilm-l6-v2] [--embeddingCache=DIR]
 *   [--groupColumn=label] [--minGroupSize=200]
 * </pre>
 *
 * {@code --help=TrainModelOptions} lists every option. Exit status: 0 published, 2 refused by the
 * gate (the reasons are printed), 1 on any error.
 */
public final class TrainModel {
  /** The options of {@code scripts/train}. */
  public interface TrainModelOptions
      extends AutoencoderOptions, EmbeddingOptions, EmbeddingCacheOptions, GroupTrainingOptions {
    @Description("Corpus file to train on (text;label, jsonl(.gz), csv or one text per line)")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Classes of the input to train on (names or ids, comma-separated); default all")
    List<String> getClasses();

    void setClasses(List<String> value);

    @Description(
        "Corpus file of held-out normal messages to calibrate on; default: a seeded"
            + " --calibrationFraction of the input")
    String getCalibration();

    void setCalibration(String value);

    @Description(
        "Corpus file of a few labelled anomalies for --thresholdMethod=best-f1: they set the"
            + " threshold only, never the fit")
    String getLabelledAnomalies();

    void setLabelledAnomalies(String value);

    @Description(
        "label: also train one model per class of the input (each calibrated on its share of the"
            + " calibration rows), published with the global model as one release, for a detector"
            + " whose --groupAttribute carries the class name (ingest --groupColumn=label)")
    String getGroupColumn();

    void setGroupColumn(String value);
  }

  /** Spellings of earlier releases, still accepted. */
  static final DeprecatedFlags DEPRECATED_FLAGS =
      new DeprecatedFlags("train", Map.of("k", "knnK", "output", "modelRoot"));

  private TrainModel() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(TrainModelOptions.class);
    try {
      System.exit(run(args, System.out));
    } catch (Exception e) {
      System.err.println("train: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the tool; returns the exit status. */
  static int run(String[] args, PrintStream out) throws Exception {
    long start = System.nanoTime();
    TrainModelOptions options =
        PipelineOptionsFactory.fromArgs(DEPRECATED_FLAGS.rewrite(args, System.err))
            .withValidation()
            .as(TrainModelOptions.class);
    String input = options.getInput();
    String labelledFile = OptionValues.blankToNull(options.getLabelledAnomalies());
    if ((labelledFile != null) != (options.getThresholdMethod() == ThresholdMethod.BEST_F1)) {
      throw new IllegalArgumentException(
          "--labelledAnomalies goes with --thresholdMethod=best-f1, and only with it");
    }
    String groupColumn = OptionValues.blankToNull(options.getGroupColumn());
    if (groupColumn != null && !groupColumn.equals("label")) {
      throw new IllegalArgumentException(
          "--groupColumn=" + groupColumn + ": a corpus file's groups are its classes (label)");
    }
    Set<EmotionLabel> classes = MessageSelection.parseClasses(options.getClasses());
    String calibrationFile = OptionValues.blankToNull(options.getCalibration());
    // registers gs:// and any other file system on the classpath
    FileSystems.setDefaultPipelineOptions(options);
    ModelStore store = ModelStore.open(options.getModelRoot(), options.getModelName());

    CorpusTexts corpus = CorpusTexts.read(input, classes);
    out.println(corpus.describe());
    ModelTrainer.HeldOut<String> split;
    String calibrationDescription;
    if (calibrationFile != null) {
      CorpusTexts calibration = CorpusTexts.read(calibrationFile, classes);
      out.println(calibration.describe());
      split = new ModelTrainer.HeldOut<>(corpus.texts(), calibration.texts());
      calibrationDescription = absolute(calibrationFile);
    } else {
      double fraction = options.getCalibrationFraction();
      long seed = options.getSeed();
      split = ModelTrainer.splitForCalibration(corpus.texts(), fraction, seed);
      calibrationDescription =
          String.format(Locale.ROOT, "a %.0f%% slice of the input (seed %d)", 100 * fraction, seed);
    }
    out.printf(
        "fitting on %d texts, calibrating on %d (%s)%n",
        split.fit().size(), split.calibration().size(), calibrationDescription);

    TextEmbeddings embeddings = TextEmbeddings.forOptions(options, out);
    SentenceEmbedder embedder = embeddings.embedder();
    float[][] fitVectors = embeddings.embed("fit", split.fit()).vectors();
    float[][] calibrationVectors = embeddings.embed("calibration", split.calibration()).vectors();
    ModelTrainer.Settings settings;
    if (labelledFile == null) {
      settings = TrainingOptions.settings(options);
    } else {
      CorpusTexts labelled = CorpusTexts.read(labelledFile, Set.of());
      out.println(labelled.describe());
      settings =
          TrainingOptions.settings(
              options,
              absolute(labelledFile),
              embeddings.embed("labelled anomalies", labelled.texts()).vectors());
    }

    long fitStart = System.nanoTime();
    Autoencoder.Trained autoencoder = trainAutoencoder(options, fitVectors, out);
    String sourceDescription =
        absolute(input)
            + (classes.isEmpty() ? "" : " classes " + classes)
            + "; calibration: "
            + calibrationDescription;
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            fitVectors,
            split.fit(),
            calibrationVectors,
            settings,
            autoencoder,
            ModelMetadata.Embedding.of(embedder),
            new ModelMetadata.TrainingSource(
                "file", sourceDescription, null, null, (long) corpus.texts().size()),
            Instant.now());
    double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
    printSummary(out, trained, fitSeconds);
    trained.warnings().forEach(warning -> out.println("WARNING: " + warning));
    if (!trained.publishable()) {
      trained.refusals().forEach(reason -> System.err.println("REFUSED: " + reason));
      System.err.println("train: the model was not published");
      return 2;
    }
    List<ModelStore.GroupModel> groups = new ArrayList<>();
    if (groupColumn != null) {
      CorpusTexts calibrationCorpus =
          calibrationFile == null ? corpus : CorpusTexts.read(calibrationFile, classes);
      groups =
          trainGroups(
              options,
              LabelGroups.split(fitVectors, split.fit(), corpus.labelByText()),
              LabelGroups.split(
                  calibrationVectors, split.calibration(), calibrationCorpus.labelByText()),
              settings,
              ModelMetadata.Embedding.of(embedder),
              sourceDescription,
              out);
    }
    ModelMetadata stored = ModelTrainer.publishRelease(store, trained, groups);
    out.printf(
        Locale.ROOT,
        "published %s%s/ as LATEST in %.1f s%n",
        store.location(),
        stored.version(),
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /**
   * One model per class with at least {@code --minGroupSize} rows (fit and calibration), trained
   * like the global one on its share of them; a class with fewer rows, or whose model the gate
   * refuses, gets none and is scored by the global model.
   */
  private static List<ModelStore.GroupModel> trainGroups(
      TrainModelOptions options,
      Map<String, float[][]> fit,
      Map<String, float[][]> calibration,
      ModelTrainer.Settings settings,
      ModelMetadata.Embedding embedding,
      String sourceDescription,
      PrintStream out)
      throws IOException {
    List<ModelStore.GroupModel> groups = new ArrayList<>();
    for (Map.Entry<String, float[][]> group : fit.entrySet()) {
      String name = group.getKey();
      float[][] groupFit = group.getValue();
      float[][] groupCalibration = calibration.getOrDefault(name, new float[0][]);
      int rows = groupFit.length + groupCalibration.length;
      if (rows < options.getMinGroupSize() || groupCalibration.length == 0) {
        out.printf(
            "group %s: %d rows (%d to calibrate), fewer than --minGroupSize=%d or none held out:"
                + " the global model scores it%n",
            name, rows, groupCalibration.length, options.getMinGroupSize());
        continue;
      }
      long start = System.nanoTime();
      ModelTrainer.TrainedModel trained =
          ModelTrainer.train(
              groupFit,
              List.of(),
              groupCalibration,
              settings,
              trainAutoencoder(options, groupFit, out),
              embedding,
              new ModelMetadata.TrainingSource(
                  "file", sourceDescription + "; class " + name, null, null, (long) rows),
              Instant.now());
      out.printf(
          Locale.ROOT,
          "group %s: %d fit rows, %d clusters, %.1f s%n",
          name,
          groupFit.length,
          trained.fit().clusterCount(),
          (System.nanoTime() - start) / 1e9);
      if (trained.publishable()) {
        groups.add(ModelTrainer.groupModel(name, trained));
      } else {
        out.printf(
            "group %s: refused (%s): the global model scores it%n",
            name, String.join("; ", trained.refusals()));
      }
    }
    return groups;
  }

  /** The version's autoencoder when the options want one, else null. */
  static Autoencoder.Trained trainAutoencoder(
      AutoencoderOptions options, float[][] fitVectors, PrintStream out) throws IOException {
    AutoencoderTrainer.Settings settings = AutoencoderOptions.autoencoderSettings(options);
    if (settings == null) {
      return null;
    }
    Autoencoder.Trained trained = AutoencoderTrainer.train(fitVectors, settings);
    ModelMetadata.AutoencoderRecord description = trained.description();
    out.printf(
        Locale.ROOT,
        "autoencoder %s (%s): %d epochs in %.1f s, mean squared error per coordinate %.3e%n",
        description.layers().stream().map(String::valueOf).collect(Collectors.joining("-")),
        description.engine(),
        description.epochs(),
        description.trainingSeconds(),
        description.finalLoss());
    return trained;
  }

  private static String describeMethod(ModelMetadata.CalibrationRecord record) {
    return switch (record.method()) {
      case FALSE_ALARM -> "false-alarm";
      case PERCENTILE -> String.format(Locale.ROOT, "percentile %s", record.percentile());
      case BEST_F1 ->
          String.format(
              Locale.ROOT,
              "best-f1 on %d labelled anomalies, %.2f of them flagged",
              record.labelledAnomalies(),
              record.labelledAnomalyRecall());
    };
  }

  /** A local path made absolute, so the metadata leads back to the file from anywhere. */
  private static String absolute(String file) {
    return file.contains("://") ? file : Path.of(file).toAbsolutePath().normalize().toString();
  }

  private static void printSummary(
      PrintStream out, ModelTrainer.TrainedModel trained, double fitSeconds) {
    int[] sizes = trained.fit().clusterSizes();
    int[] largestFirst =
        IntStream.range(0, sizes.length).map(i -> -sizes[i]).sorted().map(s -> -s).toArray();
    String shown =
        Arrays.stream(largestFirst)
            .limit(20)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(", "));
    out.printf(
        Locale.ROOT,
        "clusters: %d (sizes, largest first: %s%s)%n",
        sizes.length,
        shown,
        sizes.length > 20 ? ", ..." : "");
    out.printf(Locale.ROOT, "noise fraction: %.3f%n", trained.fit().noiseFraction());
    Calibration calibration = trained.calibration();
    if (calibration != null) {
      out.printf(
          Locale.ROOT,
          "decision: %s > %.4f (%s); false-alarm rate on %d calibration rows %.4f (target %.4f,"
              + " cross-checked %.4f)%n",
          trained.metadata().calibration().score().id(),
          calibration.threshold(),
          describeMethod(trained.metadata().calibration()),
          calibration.calibrationSetSize(),
          calibration.achievedFalseAlarmRate(),
          calibration.targetFalseAlarmRate(),
          calibration.crossCheckedFalseAlarmRate());
    }
    ModelMetadata.Drift drift = trained.metadata().drift();
    if (drift != null) {
      String simulated =
          drift.nullSimulations().stream()
              .map(
                  simulation ->
                      String.format(
                          Locale.ROOT,
                          "%d: %.2g",
                          simulation.windowMessages(),
                          simulation.falseDriftRate()))
              .collect(Collectors.joining(", "));
      out.printf(
          Locale.ROOT,
          "drift: score >= %.2f and effect >= %.3f at a %.0f-minute slide (%.2g false drift"
              + " windows a day); simulated false drift rate per window by messages %s%n",
          drift.threshold(),
          drift.minEffect(),
          drift.assumedWindowSlideMinutes(),
          drift.targetFalseDriftRate(),
          simulated);
    }
    out.printf(Locale.ROOT, "fit and calibration: %.1f s%n", fitSeconds);
  }
}
