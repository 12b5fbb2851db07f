package dev.anomalystream.core.stream;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message's window-relative score: its distance to the centre of its k-means cluster in the
 * window centred on it ({@link CentredWindow}). It needs no trained model.
 *
 * @param uid the message
 * @param windowStart the window that scored it
 * @param windowEnd its end
 * @param score the Euclidean distance of its L2-normalised embedding to its cluster's centre (the
 *     nearest centre of a cluster of at least {@code WindowAnalysis.MIN_CLUSTER_POINTS} fitted
 *     messages: an outlier k-means gave a centre of its own is scored against the others)
 * @param clusters the k the window was clustered with
 */
public record WindowScore(
    String uid, Instant windowStart, Instant windowEnd, double score, int clusters)
    implements Serializable {
  public static final String UID = "uid";
  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  public static final String WINDOW_SCORE = "window_score";
  public static final String WINDOW_CLUSTERS = "window_clusters";

  /** As a row of {@code <table>_window_scores} or a line of {@code window-scores/}. */
  public Map<String, Object> toRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(UID, uid);
    row.put(WINDOW_START, windowStart.toString());
    row.put(WINDOW_END, windowEnd.toString());
    row.put(WINDOW_SCORE, score);
    row.put(WINDOW_CLUSTERS, clusters);
    return row;
  }
}
