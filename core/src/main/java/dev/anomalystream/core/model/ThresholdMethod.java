package dev.anomalystream.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the trainer sets the decision threshold of the chosen score. */
public enum ThresholdMethod {
  /**
   * The split-conformal rank for the target false-alarm rate on the held-out normal rows ({@link
   * Calibration#fromNormalScores}): the default.
   */
  FALSE_ALARM("false-alarm"),
  /**
   * The plain empirical percentile of the held-out normal rows' scores ({@link
   * Calibration#atPercentile}).
   */
  PERCENTILE("percentile"),
  /**
   * The threshold with the best F1 between the held-out normal rows and a few labelled anomalies
   * ({@link Calibration#bestF1}); the anomalies set the threshold only, never the fit.
   */
  BEST_F1("best-f1");

  private final String id;

  ThresholdMethod(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  /** Parses "false-alarm", "percentile" or "best-f1" (any case), listing the choices otherwise. */
  @JsonCreator
  public static ThresholdMethod parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (ThresholdMethod method : values()) {
      if (method.id.equals(wanted)) {
        return method;
      }
    }
    throw new IllegalArgumentException(
        "unknown threshold method '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(ThresholdMethod::id).collect(Collectors.joining(", ")));
  }
}
