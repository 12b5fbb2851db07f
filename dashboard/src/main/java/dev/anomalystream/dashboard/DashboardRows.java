package dev.anomalystream.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.json.Json;

/**
 * Turns one detection row (a line of the detector's NDJSON, or a detections-topic message: the same
 * {@link DetectionRow} map) into what the page needs. The embedding and the columns the page does
 * not show stay on the server, so a browser receives a few hundred bytes per row, not kilobytes.
 */
final class DashboardRows {
  /** The score the row's decision compared with its threshold, as the detector chose it. */
  static final String SCORE = "score";

  /** The false-alarm rate the row's model version was calibrated for, when known. */
  static final String TARGET_FALSE_ALARM_RATE = "target_false_alarm_rate";

  private DashboardRows() {}

  /** The page's fields of a row, as compact JSON, and whether the detector flagged it. */
  record PageRow(String json, boolean anomaly) {}

  /**
   * The page's fields of {@code line}; with {@code rates} (null: none), the calibrated false-alarm
   * rate of its model version too.
   *
   * @throws IllegalArgumentException when the line is not a JSON object with a text uid and a
   *     boolean is_anomaly: a row the page could not place
   */
  static PageRow toPageRow(String line, CalibratedRates rates) {
    JsonNode row = jsonObject(line);
    if (!row.path(DetectionRow.UID).isTextual()) {
      throw new IllegalArgumentException("no text field " + DetectionRow.UID);
    }
    if (!row.path(DetectionRow.IS_ANOMALY).isBoolean()) {
      throw new IllegalArgumentException("no boolean field " + DetectionRow.IS_ANOMALY);
    }
    ObjectNode page = Json.MAPPER.createObjectNode();
    for (String field :
        new String[] {
          DetectionRow.UID,
          DetectionRow.TEXT,
          DetectionRow.IS_ANOMALY,
          DetectionRow.THRESHOLD,
          DetectionRow.MODEL_VERSION,
          DetectionRow.EVENT_TIME,
          DetectionRow.PROCESSED_TIME,
          DetectionRow.MAP_X,
          DetectionRow.MAP_Y
        }) {
      JsonNode value = row.get(field);
      if (value != null && !value.isNull()) {
        page.set(field, value);
      }
    }
    JsonNode score = row.get(decisionScoreField(row.path(DetectionRow.DECISION).asText("")));
    if (score != null && score.isNumber()) {
      page.set(SCORE, score);
    }
    if (rates != null) {
      rates
          .targetFor(
              row.path(DetectionRow.MODEL_VERSION).asText(null),
              row.path(DetectionRow.DECISION).asText(null))
          .ifPresent(rate -> page.put(TARGET_FALSE_ALARM_RATE, rate));
    }
    return new PageRow(page.toString(), row.get(DetectionRow.IS_ANOMALY).booleanValue());
  }

  /** The same choice as {@code Detection.decisionScore()}: k-NN decisions use the k-NN score. */
  private static String decisionScoreField(String decision) {
    return decision.startsWith("knn") ? DetectionRow.KNN_SCORE : DetectionRow.OUTLIER_SCORE;
  }

  /**
   * A source line as a JSON object.
   *
   * @throws IllegalArgumentException when it is not JSON, or not an object
   */
  static JsonNode jsonObject(String line) {
    JsonNode row;
    try {
      row = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (row == null || !row.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return row;
  }
}
