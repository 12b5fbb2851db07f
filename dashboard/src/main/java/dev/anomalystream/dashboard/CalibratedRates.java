package dev.anomalystream.dashboard;

import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ScoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The false-alarm rate each model version was calibrated for, from its {@code metadata.json} in the
 * detector's local model store, so the page can set the anomaly rate it sees beside it. Each
 * version's metadata is read once; a version that cannot be read is logged once and has no rate.
 */
final class CalibratedRates {
  private static final Logger LOG = LoggerFactory.getLogger(CalibratedRates.class);

  private final Path model;
  private final String modelName;
  private final Map<String, Optional<ModelMetadata>> versions = new HashMap<>();

  /**
   * @param model the detector's {@code --model}: a store root holding {@code <modelName>/} or one
   *     version directory
   */
  CalibratedRates(Path model, String modelName) {
    this.model = model;
    this.modelName = modelName;
  }

  /**
   * The target false-alarm rate of {@code version} for a row's {@code decision} ({@code
   * <score>><threshold>}, as the detector describes it); empty for the cluster rule, which has no
   * threshold, and for a version or score without calibration.
   */
  synchronized Optional<Double> targetFor(String version, String decision) {
    int end = decision == null ? -1 : decision.indexOf('>');
    if (version == null || end < 0) {
      return Optional.empty();
    }
    ScoreKind score;
    try {
      score = ScoreKind.parse(decision.substring(0, end));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return versions
        .computeIfAbsent(version, this::read)
        .flatMap(metadata -> metadata.calibrationFor(score))
        .map(ModelMetadata.CalibrationRecord::targetFalseAlarmRate);
  }

  private Optional<ModelMetadata> read(String version) {
    Path fixed = model.resolve(ModelStore.METADATA_FILE);
    Path file =
        Files.exists(fixed)
            ? fixed
            : model.resolve(modelName).resolve(version).resolve(ModelStore.METADATA_FILE);
    try {
      ModelMetadata metadata = ModelMetadata.fromJson(Files.readAllBytes(file), file.toString());
      return version.equals(metadata.version()) ? Optional.of(metadata) : Optional.empty();
    } catch (IOException e) {
      LOG.warn("no calibrated false-alarm rate for model version {}: {}", version, e.toString());
      return Optional.empty();
    }
  }
}
