package dev.anomalystream.dashboard;

import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detection rows as the detector writes them ({@link DetectionRow}'s map), and the stream view's
 * window and topic rows ({@link WindowSummary}, {@link TopicEvent}), for the tests.
 */
final class TestRows {
  static final String HOSTILE_TEXT = "<img src=x onerror=alert(1)>";

  private TestRows() {}

  /** One NDJSON line: a k-NN decision against threshold 0.5, with an embedding the page drops. */
  static String line(String uid, String text, boolean anomaly, double knnScore) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(DetectionRow.UID, uid);
    row.put(DetectionRow.TEXT, text);
    row.put(DetectionRow.CLUSTER, anomaly ? -1 : 0);
    row.put(DetectionRow.IS_ANOMALY, anomaly);
    row.put(DetectionRow.OUTLIER_SCORE, 0.1);
    row.put(DetectionRow.KNN_SCORE, knnScore);
    row.put(DetectionRow.THRESHOLD, 0.5);
    row.put(DetectionRow.DECISION, "knn>0.5000");
    row.put(DetectionRow.MODEL_VERSION, "v20261130-070000");
    row.put(DetectionRow.EMBEDDING_MODEL, "bge-small-en-v1.5");
    row.put(DetectionRow.PUBLISH_TIME, "2026-11-30T07:00:00Z");
    row.put(DetectionRow.PROCESSED_TIME, java.time.Instant.now().toString());
    row.put(DetectionRow.EMBEDDING, List.of(0.6, 0.8));
    // a place on the map that follows the score, so the most anomalous row lies furthest right
    row.put(DetectionRow.MAP_X, 2 * knnScore - 1);
    row.put(DetectionRow.MAP_Y, anomaly ? 0.9 : -0.2);
    try {
      return Json.MAPPER.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A line of {@code windows/}: a 10-minute window ending at {@code end}, drift score {@code
   * driftScore} against threshold 3.0 (no drift fields when {@code driftScore} is null).
   */
  static String window(String end, Double driftScore, long paneIndex) {
    Instant windowEnd = Instant.parse(end);
    DriftDecision drift =
        driftScore == null ? null : new DriftDecision(driftScore, 3.0, 0.2, 0.1, driftScore > 3.0);
    return json(
        new WindowSummary(
                windowEnd.minusSeconds(600),
                windowEnd,
                120,
                7,
                drift,
                1,
                "v20261130-070000",
                paneIndex == 0 ? "ON_TIME" : "LATE",
                paneIndex)
            .toRow());
  }

  /**
   * A line of {@code topics/}: topic {@code id} as it stands after the window ending at {@code
   * last}.
   */
  static String topic(String id, String last, int size, String... examples) {
    return json(
        new TopicEvent(
                id,
                Instant.parse("2026-11-30T07:10:00Z"),
                Instant.parse(last),
                size,
                java.util.stream.IntStream.range(0, size).mapToObj(i -> id + "-uid-" + i).toList(),
                List.of("moons", "neptune"),
                List.of(examples),
                "v20261130-070000",
                false)
            .toRow());
  }

  private static String json(Object row) {
    try {
      return Json.MAPPER.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
