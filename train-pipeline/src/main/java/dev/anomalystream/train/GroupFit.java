package dev.anomalystream.train;

import dev.anomalystream.core.model.ArtifactWriter;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;

/**
 * One group's model as its fit on a worker left it, to travel to the step that publishes the
 * release: the files as bytes (a trained model is not serializable; its files are what the release
 * stores anyway), or, for a group that gets no model, why not.
 *
 * @param group the group value
 * @param rows the group's training rows
 * @param fitSeconds how long the fit took
 * @param reason why the group has no model (too few rows, refused by the gate), or null
 * @param warnings what the fit warned about
 * @param metadataJson the model's metadata.json without checksums, or null without a model
 * @param files the model's files, empty without a model
 */
public record GroupFit(
    String group,
    int rows,
    double fitSeconds,
    String reason,
    List<String> warnings,
    byte[] metadataJson,
    Map<String, byte[]> files)
    implements Serializable {

  public boolean hasModel() {
    return metadataJson != null;
  }

  /** The model as the release stores it. */
  public ModelStore.GroupModel toGroupModel() throws IOException {
    Map<String, ArtifactWriter> writers = new LinkedHashMap<>();
    files.forEach((name, content) -> writers.put(name, out -> out.write(content)));
    return new ModelStore.GroupModel(
        group, ModelMetadata.fromJson(metadataJson, "the model of group " + group), writers);
  }

  /**
   * Fits one group's model the way the global one is fitted (the same settings, a seeded
   * calibration slice of the group's own rows, an autoencoder when the plan has one), or says why
   * the group gets none: fewer than {@code minGroupSize} rows, or a model the gate refuses.
   */
  static GroupFit fit(
      String group,
      List<KV<String, float[]>> rows,
      FitCalibratePublish.Plan plan,
      ModelMetadata.Embedding embedding,
      int minGroupSize,
      Instant now)
      throws IOException {
    long start = System.nanoTime();
    if (rows.size() < minGroupSize) {
      return new GroupFit(
          group,
          rows.size(),
          0,
          rows.size() + " rows, fewer than --minGroupSize=" + minGroupSize,
          List.of(),
          null,
          Map.of());
    }
    // sorted, so the hold-out does not depend on how the runner ordered the rows
    List<KV<String, float[]>> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(KV::getKey));
    ModelTrainer.HeldOut<KV<String, float[]>> split =
        ModelTrainer.splitForCalibration(sorted, plan.calibrationFraction(), plan.seed());
    float[][] fitVectors = split.fit().stream().map(KV::getValue).toArray(float[][]::new);
    Autoencoder.Trained autoencoder =
        plan.autoencoder() == null
            ? null
            : AutoencoderTrainer.train(fitVectors, plan.autoencoder());
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            fitVectors,
            List.of(),
            split.calibration().stream().map(KV::getValue).toArray(float[][]::new),
            plan.settings(),
            autoencoder,
            embedding,
            new ModelMetadata.TrainingSource(
                "detector-history",
                plan.sourceDescription() + ", group " + group,
                plan.from(),
                plan.to(),
                (long) rows.size()),
            now);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!trained.publishable()) {
      return new GroupFit(
          group,
          rows.size(),
          seconds,
          "refused: " + String.join("; ", trained.refusals()),
          trained.warnings(),
          null,
          Map.of());
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, ArtifactWriter> file : ModelTrainer.artifacts(trained).entrySet()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      file.getValue().writeTo(out);
      files.put(file.getKey(), out.toByteArray());
    }
    return new GroupFit(
        group, rows.size(), seconds, null, trained.warnings(), trained.metadata().toJson(), files);
  }
}
