package dev.anomalystream.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How the detector turns scores into a yes/no. */
public enum DecisionRule {
  /** Anomalous when the outlier score in use is above the threshold. */
  SCORE,
  /** Anomalous when HDBSCAN places the message in no cluster (label -1). */
  CLUSTER;

  /**
   * Parses {@code threshold} or {@code score} (the same rule) or {@code cluster}, in any case; also
   * how Beam options and JSON read the rule.
   */
  @JsonCreator
  public static DecisionRule parse(String text) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "threshold", "score" -> SCORE;
      case "cluster" -> CLUSTER;
      default ->
          throw new IllegalArgumentException(
              "unknown decision rule '" + text + "', expected threshold (or score) or cluster");
    };
  }
}
