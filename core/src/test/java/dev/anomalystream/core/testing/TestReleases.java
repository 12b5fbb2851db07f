package dev.anomalystream.core.testing;

import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Made-up groups for tests of per-group models: each group's normal is its own region of the sphere
 * (points around one direction per group), so a point of group A's region is normal to the global
 * model, which has seen every group, and an anomaly to group B's model.
 */
public final class TestReleases {
  /** The spread of points around their group's direction. */
  public static final double SPREAD = 0.02;

  private TestReleases() {}

  /** Each group's vectors and the direction they scatter around. */
  public record Groups(Map<String, float[][]> vectors, Map<String, float[]> centres) {
    /** A new point of {@code group}'s region, seeded. */
    public float[] near(String group, long seed) {
      float[] centre = centres.get(group);
      Random random = new Random(seed);
      float[] point = new float[centre.length];
      for (int d = 0; d < point.length; d++) {
        point[d] = (float) (centre[d] + SPREAD * random.nextGaussian());
      }
      return normalised(point);
    }
  }

  /** {@code perGroup} seeded points for each of {@code names}, one region per group. */
  public static Groups groups(List<String> names, int perGroup, int dimension, long seed) {
    float[][] all =
        SyntheticEmbeddings.groups(new Random(seed), names.size(), perGroup, dimension, SPREAD);
    Map<String, float[][]> vectors = new LinkedHashMap<>();
    Map<String, float[]> centres = new LinkedHashMap<>();
    for (int g = 0; g < names.size(); g++) {
      List<float[]> points = new ArrayList<>();
      float[] mean = new float[dimension];
      for (int i = g; i < all.length; i += names.size()) {
        points.add(all[i]);
        for (int d = 0; d < dimension; d++) {
          mean[d] += all[i][d];
        }
      }
      // the points' mean direction stands for the direction they were drawn around
      centres.put(names.get(g), normalised(mean));
      vectors.put(names.get(g), points.toArray(new float[0][]));
    }
    return new Groups(vectors, centres);
  }

  private static float[] normalised(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    for (int d = 0; d < vector.length; d++) {
      vector[d] /= (float) Math.sqrt(norm);
    }
    return vector;
  }

  /** kNN-decided settings small enough for a test's few hundred points. */
  public static ModelTrainer.Settings settings(String modelName) {
    return new ModelTrainer.Settings(
        modelName,
        new HdbscanParams(10, 5),
        5,
        ScoreKind.KNN,
        // a rate a few dozen held-out rows can calibrate without the gate's cross-check refusing
        0.1,
        DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE);
  }

  /** Trains on every fifth point held out for calibration. */
  public static ModelTrainer.TrainedModel train(
      float[][] vectors,
      String modelName,
      ModelMetadata.Embedding embedding,
      String description,
      Instant now) {
    boolean[] heldOut = new boolean[vectors.length];
    for (int i = 4; i < vectors.length; i += 5) {
      heldOut[i] = true;
    }
    List<float[]> fit = new ArrayList<>();
    List<float[]> calibration = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      (heldOut[i] ? calibration : fit).add(vectors[i]);
    }
    return ModelTrainer.train(
        fit.toArray(new float[0][]),
        calibration.toArray(new float[0][]),
        settings(modelName),
        embedding,
        new ModelMetadata.TrainingSource("test", description, null, null, (long) vectors.length),
        now);
  }

  /**
   * Trains the global model on every group's points and a model per group on its own, and publishes
   * them as one release, LATEST of the store.
   */
  public static ModelMetadata trainAndPublish(
      ModelStore store, Groups groups, ModelMetadata.Embedding embedding, Instant now)
      throws IOException {
    float[][] all =
        groups.vectors().values().stream().flatMap(Arrays::stream).toArray(float[][]::new);
    List<ModelStore.GroupModel> perGroup = new ArrayList<>();
    groups
        .vectors()
        .forEach(
            (group, vectors) ->
                perGroup.add(
                    ModelTrainer.groupModel(
                        group,
                        train(vectors, store.modelName(), embedding, "group " + group, now))));
    return ModelTrainer.publishRelease(
        store, train(all, store.modelName(), embedding, "all groups", now), perGroup);
  }
}
