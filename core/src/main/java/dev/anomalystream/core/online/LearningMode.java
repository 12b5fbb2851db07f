package dev.anomalystream.core.online;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which scored messages the detector's learning memory takes in. */
public enum LearningMode {
  /**
   * The default, resolved at launch: {@link #TOPICS} where topics can be adopted (the stream view
   * runs) and the model decides on the kNN score, {@link #NONE} otherwise. Topics met the issue's
   * targets on the new-normal stream (docs/QUALITY.md), where none and normal did not.
   */
  AUTO,
  /** Nothing: the detector scores against the trained model only, as before online learning. */
  NONE,
  /** Messages judged normal. */
  NORMAL,
  /**
   * Messages judged normal, and the members of an emerging topic once it has persisted (adopted): a
   * new subject stops alerting after it was reported as a topic, single off-topic messages never
   * join.
   */
  TOPICS,
  /**
   * Every message, anomalies too: what Half-Space Trees do in their paper. Shown for comparison:
   * whoever sends spam steadily teaches this detector to ignore it.
   */
  ALL;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the mode's id in any case, with a message listing the choices otherwise. */
  @JsonCreator
  public static LearningMode parse(String text) {
    for (LearningMode mode : values()) {
      if (mode.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown learning mode '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(LearningMode::id).collect(Collectors.joining(", ")));
  }

  /** Whether a message scored {@code anomalous} is learned as it passes. */
  public boolean learnsOnSight(boolean anomalous) {
    return switch (this) {
      case AUTO -> throw new IllegalStateException("--learn=auto is resolved at launch");
      case NONE -> false;
      case NORMAL, TOPICS -> !anomalous;
      case ALL -> true;
    };
  }
}
