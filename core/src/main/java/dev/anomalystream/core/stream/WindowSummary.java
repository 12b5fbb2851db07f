package dev.anomalystream.core.stream;

import dev.anomalystream.core.model.DriftDecision;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sliding window of the stream: its counts, its drift decision and how many topics it held. A
 * window fired again for late data is summarised again, with all its messages; the latest row of a
 * window (the highest {@code pane_index}) is the one that counts.
 *
 * @param windowStart the window's start (inclusive)
 * @param windowEnd its end (exclusive)
 * @param messages messages in it
 * @param anomalies those the model flagged
 * @param drift the drift decision; null when the model version has no drift reference
 * @param topics topic candidates found among its anomalies
 * @param modelVersion the model version most of its messages were scored with
 * @param paneTiming EARLY, ON_TIME or LATE (Beam's pane timing)
 * @param paneIndex 0 for the window's first firing, then 1, 2, ... for late updates
 */
public record WindowSummary(
    Instant windowStart,
    Instant windowEnd,
    long messages,
    long anomalies,
    DriftDecision drift,
    int topics,
    String modelVersion,
    String paneTiming,
    long paneIndex)
    implements Serializable {
  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String MESSAGES = "messages";
  public static final String ANOMALIES = "anomalies";
  public static final String DRIFT_SCORE = "drift_score";
  public static final String DRIFT_THRESHOLD = "drift_threshold";
  public static final String DRIFT_EFFECT = "drift_effect";
  public static final String DRIFT_MIN_EFFECT = "drift_min_effect";
  public static final String IS_DRIFT = "is_drift";
  public static final String TOPICS = "topics";
  public static final String MODEL_VERSION = "model_version";
  public static final String PANE_TIMING = "pane_timing";
  public static final String PANE_INDEX = "pane_index";

  public boolean isDrift() {
    return drift != null && drift.drift();
  }

  /** As a row of {@code <table>_windows} or a line of {@code windows/}. */
  public Map<String, Object> toRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(WINDOW_START, windowStart.toString());
    row.put(WINDOW_END, windowEnd.toString());
    row.put(MESSAGES, messages);
    row.put(ANOMALIES, anomalies);
    if (drift != null) {
      row.put(DRIFT_SCORE, finite(drift.score()));
      row.put(DRIFT_THRESHOLD, finite(drift.threshold()));
      row.put(DRIFT_EFFECT, finite(drift.effect()));
      row.put(DRIFT_MIN_EFFECT, finite(drift.minEffect()));
      row.put(IS_DRIFT, drift.drift());
    }
    row.put(TOPICS, topics);
    if (modelVersion != null) {
      row.put(MODEL_VERSION, modelVersion);
    }
    row.put(PANE_TIMING, paneTiming);
    row.put(PANE_INDEX, paneIndex);
    return row;
  }

  /** JSON has no NaN or infinity; BigQuery would refuse them too. */
  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
