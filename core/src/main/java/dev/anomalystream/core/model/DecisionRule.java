package dev.anomalystream.core.model;

import java.util.Locale;

/** How the detector turns scores into a yes/no. */
public enum DecisionRule {
  /** Anomalous when the outlier score in use is above the threshold. */
  SCORE,
  /** Anomalous when HDBSCAN places the message in no cluster (label -1). */
  CLUSTER;

  public static DecisionRule parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "unknown decision rule '" + text + "', expected score or cluster", e);
    }
  }
}
