package dev.anomalystream.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The outlier scores a model can threshold. */
public enum ScoreKind {
  /** HDBSCAN's GLOSH outlier score of the approximate prediction, in [0, 1]. */
  GLOSH,
  /** Mean cosine distance to the k nearest training vectors, in [0, 2]. */
  KNN,
  /**
   * Reconstruction error of the vector through the version's autoencoder ({@link Autoencoder}),
   * squared Euclidean, in [0, 4] for unit vectors and near 0 for normal ones.
   */
  AUTOENCODER,
  /**
   * Half-Space Trees, learned online by the detector ({@code --score=hst}) from the version's
   * training vectors onwards and calibrated when a version loads; in (0, 1].
   */
  HST;

  /** Whether training calibrates a threshold for it (the online score is calibrated on load). */
  public boolean calibratedAtTraining() {
    return this != HST;
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses "glosh", "knn", "autoencoder" or "hst" (any case), with a message listing the choices
   * otherwise.
   */
  @JsonCreator
  public static ScoreKind parse(String text) {
    for (ScoreKind kind : values()) {
      if (kind.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown score '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(ScoreKind::id).collect(Collectors.joining(", ")));
  }
}
