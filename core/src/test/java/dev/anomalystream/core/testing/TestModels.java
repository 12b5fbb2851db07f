package dev.anomalystream.core.testing;

import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains and publishes a real model (the builtin embedding, HDBSCAN, calibrated threshold) on texts
 * a test made, for tests of the pipelines that serve models.
 */
public final class TestModels {
  private TestModels() {}

  /**
   * Embeds {@code texts}, fits on all but every fifth one (their term statistics too), calibrates
   * on those for {@code targetFalseAlarmRate}, and publishes the version as LATEST of {@code
   * root}/{@code modelName}.
   *
   * @return the stored metadata
   */
  public static ModelMetadata trainAndPublish(
      List<String> texts, String root, String modelName, double targetFalseAlarmRate, Instant now)
      throws IOException {
    return trainAndPublish(
        texts, root, modelName, targetFalseAlarmRate, now, EmbedderOptions.defaults());
  }

  /** As above, on the given embedding model instead of the default one. */
  public static ModelMetadata trainAndPublish(
      List<String> texts,
      String root,
      String modelName,
      double targetFalseAlarmRate,
      Instant now,
      EmbedderOptions embedding)
      throws IOException {
    SentenceEmbedder embedder = SharedEmbedders.get(embedding);
    float[][] vectors = embedder.embed(texts);
    float[][] fit = new float[vectors.length - vectors.length / 5][];
    List<String> fitTexts = new ArrayList<>();
    float[][] calibration = new float[vectors.length / 5][];
    int f = 0;
    int c = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (i % 5 == 4 && c < calibration.length) {
        calibration[c++] = vectors[i];
      } else {
        fitTexts.add(texts.get(i));
        fit[f++] = vectors[i];
      }
    }
    fit = Arrays.copyOf(fit, f);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            fit,
            fitTexts,
            calibration,
            new ModelTrainer.Settings(
                modelName,
                new HdbscanParams(10, 5),
                5,
                ScoreKind.KNN,
                targetFalseAlarmRate,
                DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE),
            ModelMetadata.Embedding.of(embedder),
            new ModelMetadata.TrainingSource(
                "test", "made-up corpus in a test", null, null, (long) texts.size()),
            now);
    if (!trained.publishable()) {
      throw new IllegalStateException("the test model was refused: " + trained.refusals());
    }
    return ModelTrainer.publish(ModelStore.open(root, modelName), trained);
  }
}
