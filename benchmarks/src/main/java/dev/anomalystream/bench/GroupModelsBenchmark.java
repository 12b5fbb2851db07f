package dev.anomalystream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.evaluation.ScoreEvaluation;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelRelease;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.model.Verdict;
import dev.anomalystream.core.options.EmbeddingCacheOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.TrainingOptions;
import dev.anomalystream.train.CorpusTexts;
import dev.anomalystream.train.LabelGroups;
import dev.anomalystream.train.TextEmbeddings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Per-group models against the global model on the emotion corpus, its six classes standing for six
 * channels: the global model and one model per class are trained on the same fit rows as {@code
 * scripts/train} (each class's share of them, calibrated on its share of the held-out slice), and
 * published as one release. Each labelled tweet of the test file is then sent to its own class's
 * channel (a normal pair) and to each other class's channel (five anomalous pairs); both the
 * release's routing (the channel's group model) and the global model alone score every pair. The
 * global model sees no channel, so it scores a tweet alike on every channel: its AUROC on these
 * pairs is 0.5 by construction, which is the point of the comparison. Also measured: the training
 * time (the global fit, each group's fit, their sum and the largest, which is what a runner with a
 * worker per group waits for) and the size of the global version against the whole release.
 *
 * <pre>
 * GroupModelsBenchmark --input=TRAIN --normal=VALIDATION --modelRoot=DIR [--embeddingCache=DIR]
 * </pre>
 *
 * The last line is one JSON object.
 */
public final class GroupModelsBenchmark {
  /** The options of {@code scripts/bench-groups}. */
  public interface GroupModelsBenchmarkOptions
      extends TrainingOptions, EmbeddingOptions, EmbeddingCacheOptions {
    @Description("Labelled corpus file to fit on, as scripts/train would")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Labelled corpus file whose tweets are sent to each channel")
    @Validation.Required
    String getNormal();

    void setNormal(String value);
  }

  private GroupModelsBenchmark() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(GroupModelsBenchmarkOptions.class);
    GroupModelsBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(args)
            .withValidation()
            .as(GroupModelsBenchmarkOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    TextEmbeddings embeddings = TextEmbeddings.forOptions(options, System.out);
    SentenceEmbedder embedder = embeddings.embedder();
    ModelMetadata.Embedding embedding = ModelMetadata.Embedding.of(embedder);

    // the same fit and calibration lists as scripts/train, so its embedding cache entries serve
    CorpusTexts train = CorpusTexts.read(options.getInput(), Set.of());
    ModelTrainer.HeldOut<String> split =
        ModelTrainer.splitForCalibration(
            train.texts(), options.getCalibrationFraction(), options.getSeed());
    float[][] fit = embeddings.embed("fit", split.fit()).vectors();
    float[][] calibration = embeddings.embed("calibration", split.calibration()).vectors();
    Map<String, float[][]> fitByClass = LabelGroups.split(fit, split.fit(), train.labelByText());
    Map<String, float[][]> calibrationByClass =
        LabelGroups.split(calibration, split.calibration(), train.labelByText());
    CorpusTexts normalCorpus = CorpusTexts.read(options.getNormal(), Set.of());
    List<String> normalTexts = normalCorpus.texts();
    float[][] normal = embeddings.embed(options.getNormal(), normalTexts).vectors();
    Map<String, String> normalLabels = normalCorpus.labelByText();

    ModelTrainer.Settings settings = TrainingOptions.settings(options);
    Instant now = Instant.now();
    long start = System.nanoTime();
    ModelTrainer.TrainedModel global =
        ModelTrainer.train(fit, calibration, settings, embedding, source("all classes"), now);
    double globalSeconds = seconds(start);

    ObjectNode summary = Json.MAPPER.createObjectNode();
    ObjectNode groupsNode = summary.putObject("groups");
    List<ModelStore.GroupModel> groupModels = new ArrayList<>();
    double groupSecondsSum = 0;
    double groupSecondsMax = 0;
    for (EmotionLabel label : EmotionLabel.values()) {
      String group = label.label();
      float[][] groupFit = fitByClass.get(group);
      float[][] groupCalibration = calibrationByClass.get(group);
      long groupStart = System.nanoTime();
      ModelTrainer.TrainedModel trained =
          ModelTrainer.train(
              groupFit, groupCalibration, settings, embedding, source("class " + group), now);
      double seconds = seconds(groupStart);
      groupSecondsSum += seconds;
      groupSecondsMax = Math.max(groupSecondsMax, seconds);
      ObjectNode node = groupsNode.putObject(group);
      node.put("fit_rows", groupFit.length);
      node.put("calibration_rows", groupCalibration.length);
      node.put("fit_seconds", round(seconds));
      node.put("clusters", trained.fit().clusterCount());
      if (trained.publishable()) {
        node.put("threshold", trained.calibration().threshold());
        groupModels.add(ModelTrainer.groupModel(group, trained));
      } else {
        node.put("refused", String.join("; ", trained.refusals()));
      }
      System.out.printf(
          Locale.ROOT, "group %s: %d fit rows, %.1f s%n", group, groupFit.length, seconds);
    }

    ModelStore store = ModelStore.open(options.getModelRoot(), options.getModelName());
    ModelMetadata stored = ModelTrainer.publishRelease(store, global, groupModels);
    StoredModel release = store.load(stored.version());
    ModelRelease routed =
        ModelRelease.load(
            release, embedder.modelId(), embedder.dimension(), AnomalyDetector.Overrides.none());

    // each tweet on its own channel (normal) and on every other channel (anomalous)
    List<Double> groupNormalKnn = new ArrayList<>();
    List<Double> groupCrossKnn = new ArrayList<>();
    List<Double> groupNormalGlosh = new ArrayList<>();
    List<Double> groupCrossGlosh = new ArrayList<>();
    List<Double> globalNormalKnn = new ArrayList<>();
    List<Double> globalCrossKnn = new ArrayList<>();
    int normalFlagged = 0;
    int crossFlagged = 0;
    int globalFlagged = 0;
    Map<String, Verdict[]> byChannel = new HashMap<>();
    for (EmotionLabel channel : EmotionLabel.values()) {
      byChannel.put(channel.label(), routed.route(channel.label()).detector().score(normal));
    }
    Verdict[] globalVerdicts = routed.global().score(normal);
    // per channel: its own class's tweets against the other classes' tweets sent to it
    for (EmotionLabel channel : EmotionLabel.values()) {
      List<Double> own = new ArrayList<>();
      List<Double> others = new ArrayList<>();
      Verdict[] verdicts = byChannel.get(channel.label());
      for (int i = 0; i < normal.length; i++) {
        String label = normalLabels.get(normalTexts.get(i));
        if (label != null) {
          (label.equals(channel.label()) ? own : others).add(verdicts[i].knnScore());
        }
      }
      ObjectNode node = (ObjectNode) groupsNode.get(channel.label());
      node.put("scope", routed.route(channel.label()).scope());
      node.put("channel_auroc_knn", round(auroc(own, others)));
    }
    int pairs = 0;
    for (int i = 0; i < normal.length; i++) {
      String own = normalLabels.get(normalTexts.get(i));
      if (own == null) {
        continue;
      }
      for (EmotionLabel channel : EmotionLabel.values()) {
        Verdict verdict = byChannel.get(channel.label())[i];
        boolean sameChannel = channel.label().equals(own);
        (sameChannel ? groupNormalKnn : groupCrossKnn).add(verdict.knnScore());
        (sameChannel ? groupNormalGlosh : groupCrossGlosh).add(verdict.gloshScore());
        (sameChannel ? globalNormalKnn : globalCrossKnn).add(globalVerdicts[i].knnScore());
        if (sameChannel) {
          normalFlagged += verdict.anomalous() ? 1 : 0;
          globalFlagged += globalVerdicts[i].anomalous() ? 1 : 0;
        } else {
          crossFlagged += verdict.anomalous() ? 1 : 0;
        }
        pairs++;
      }
    }
    summary.put("embedding_model", embedder.modelId());
    summary.put("score", settings.score().id());
    summary.put("fit_rows", fit.length);
    summary.put("normal_pairs", groupNormalKnn.size());
    summary.put("cross_channel_pairs", groupCrossKnn.size());
    summary.put("pairs", pairs);
    summary.put("group_auroc_knn", round(auroc(groupNormalKnn, groupCrossKnn)));
    summary.put("group_auroc_glosh", round(auroc(groupNormalGlosh, groupCrossGlosh)));
    summary.put("global_auroc_knn", round(auroc(globalNormalKnn, globalCrossKnn)));
    summary.put("group_false_alarm_rate", round((double) normalFlagged / groupNormalKnn.size()));
    summary.put(
        "group_cross_channel_detection_rate", round((double) crossFlagged / groupCrossKnn.size()));
    summary.put("global_false_alarm_rate", round((double) globalFlagged / groupNormalKnn.size()));
    summary.put("global_fit_seconds", round(globalSeconds));
    summary.put("group_fit_seconds_sum", round(groupSecondsSum));
    summary.put("group_fit_seconds_max", round(groupSecondsMax));
    Path version = Path.of(release.location().replaceFirst("^file:", ""));
    long releaseBytes = bytes(version);
    long groupBytes = bytes(version.resolve(ModelStore.GROUPS_DIRECTORY));
    summary.put("global_version_bytes", releaseBytes - groupBytes);
    summary.put("release_bytes", releaseBytes);
    summary.put("release", version.toString());
    System.out.println(summary);
  }

  private static ModelMetadata.TrainingSource source(String description) {
    return new ModelMetadata.TrainingSource("file", description, null, null, null);
  }

  private static double auroc(List<Double> normal, List<Double> anomalous) {
    return new ScoreEvaluation(
            normal.stream().mapToDouble(Double::doubleValue).toArray(),
            anomalous.stream().mapToDouble(Double::doubleValue).toArray())
        .auroc();
  }

  private static long bytes(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).mapToLong(GroupModelsBenchmark::size).sum();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
