package dev.anomalystream.train;

import dev.anomalystream.core.cli.CommandLine;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.MessageSelection;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Trains a model from a corpus file and publishes it: embeds, holds out a calibration slice (a
 * separate file, or a seeded 10 % of the input), fits HDBSCAN, calibrates, gates, then writes a new
 * version and points LATEST at it.
 *
 * <pre>
 * TrainModel --input=FILE --output=DIR [--modelName=tweets] [--minClusterSize=10]
 *   [--minSamples=10] [--k=100] [--score=knn|glosh] [--classes=joy,sadness]
 *   [--calibration=FILE] [--calibrationFraction=0.1] [--seed=42] [--targetFalseAlarmRate=0.01]
 *   [--embeddingModel=builtin:all-minilm-l6-v2] [--embeddingCache=DIR]
 * </pre>
 *
 * Exit status: 0 published, 2 refused by the gate (the reasons are printed), 1 on any error.
 */
public final class TrainModel {
  static final String DEFAULT_MODEL_NAME = "tweets";
  private static final Set<String> OPTIONS =
      Set.of(
          "input",
          "output",
          "modelName",
          "minClusterSize",
          "minSamples",
          "k",
          "score",
          "classes",
          "calibration",
          "calibrationFraction",
          "seed",
          "targetFalseAlarmRate",
          "embeddingModel",
          "embeddingCache");

  private TrainModel() {}

  public static void main(String[] args) {
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
    CommandLine options = new CommandLine("train", args, OPTIONS);
    String input = options.required("input");
    String output = options.required("output");
    ModelTrainer.Settings settings =
        new ModelTrainer.Settings(
            options.get("modelName", DEFAULT_MODEL_NAME),
            new HdbscanParams(
                options.getInt("minClusterSize", ModelTrainer.DEFAULT_MIN_CLUSTER_SIZE),
                options.getInt("minSamples", ModelTrainer.DEFAULT_MIN_SAMPLES)),
            options.getInt("k", ModelTrainer.DEFAULT_KNN_K),
            ScoreKind.parse(options.get("score", ModelTrainer.DEFAULT_SCORE.id())),
            options.getDouble("targetFalseAlarmRate", Calibration.DEFAULT_TARGET_FALSE_ALARM_RATE));
    Set<EmotionLabel> classes = MessageSelection.parseClasses(options.optional("classes"));
    String calibrationFile = options.optional("calibration");
    String cache = options.optional("embeddingCache");
    // registers gs:// and any other file system on the classpath
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    ModelStore store = ModelStore.open(output, settings.modelName());

    CorpusTexts corpus = CorpusTexts.read(input, classes);
    out.println(corpus.describe());
    List<String> fitTexts;
    List<String> calibrationTexts;
    String calibrationDescription;
    if (calibrationFile != null) {
      CorpusTexts calibration = CorpusTexts.read(calibrationFile, classes);
      out.println(calibration.describe());
      fitTexts = corpus.texts();
      calibrationTexts = calibration.texts();
      calibrationDescription = absolute(calibrationFile);
    } else {
      double fraction =
          options.getDouble("calibrationFraction", ModelTrainer.DEFAULT_CALIBRATION_FRACTION);
      long seed = options.getLong("seed", 42);
      boolean[] heldOut = ModelTrainer.holdOut(corpus.texts().size(), fraction, seed);
      fitTexts = select(corpus.texts(), heldOut, false);
      calibrationTexts = select(corpus.texts(), heldOut, true);
      calibrationDescription =
          String.format(Locale.ROOT, "a %.0f%% slice of the input (seed %d)", 100 * fraction, seed);
    }
    out.printf(
        "fitting on %d texts, calibrating on %d (%s)%n",
        fitTexts.size(), calibrationTexts.size(), calibrationDescription);

    SentenceEmbedder embedder =
        SharedEmbedders.get(
            EmbedderOptions.of(options.get("embeddingModel", EmbeddingModelSpec.DEFAULT)));
    TextEmbeddings embeddings =
        new TextEmbeddings(embedder, cache == null ? null : Path.of(cache), out);
    float[][] fitVectors = embeddings.embed("fit", fitTexts).vectors();
    float[][] calibrationVectors = embeddings.embed("calibration", calibrationTexts).vectors();

    long fitStart = System.nanoTime();
    String sourceDescription =
        absolute(input)
            + (classes.isEmpty() ? "" : " classes " + classes)
            + "; calibration: "
            + calibrationDescription;
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            fitVectors,
            calibrationVectors,
            settings,
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
    ModelMetadata stored = ModelTrainer.publish(store, trained);
    out.printf(
        Locale.ROOT,
        "published %s%s/ as LATEST in %.1f s%n",
        store.location(),
        stored.version(),
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** A local path made absolute, so the metadata leads back to the file from anywhere. */
  private static String absolute(String file) {
    return file.contains("://") ? file : Path.of(file).toAbsolutePath().normalize().toString();
  }

  private static List<String> select(List<String> texts, boolean[] mask, boolean wanted) {
    List<String> selected = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (mask[i] == wanted) {
        selected.add(texts.get(i));
      }
    }
    return selected;
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
          "decision: %s > %.4f; false-alarm rate on %d calibration rows %.4f (target %.4f,"
              + " cross-checked %.4f)%n",
          trained.metadata().calibration().score().id(),
          calibration.threshold(),
          calibration.calibrationSetSize(),
          calibration.achievedFalseAlarmRate(),
          calibration.targetFalseAlarmRate(),
          calibration.crossCheckedFalseAlarmRate());
    }
    out.printf(Locale.ROOT, "fit and calibration: %.1f s%n", fitSeconds);
  }
}
