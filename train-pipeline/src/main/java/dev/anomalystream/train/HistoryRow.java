package dev.anomalystream.train;

import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.model.GroupNames;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Map;

/**
 * One row of the detector's history (a BigQuery detections row, or a line of its NDJSON output),
 * reduced to what retraining needs.
 *
 * @param embedding the stored embedding, or null when the detector did not keep it
 * @param embeddingModel the model that made the stored embedding, or null
 * @param group the message's group (the detections' {@code group} column), or null without one or
 *     when its value cannot name a group model ({@link GroupNames})
 */
public record HistoryRow(
    String uid,
    String text,
    Instant processedTime,
    boolean isAnomaly,
    String embeddingModel,
    float[] embedding,
    String group)
    implements Serializable {

  /** A row without a group. */
  public HistoryRow(
      String uid,
      String text,
      Instant processedTime,
      boolean isAnomaly,
      String embeddingModel,
      float[] embedding) {
    this(uid, text, processedTime, isAnomaly, embeddingModel, embedding, null);
  }

  /**
   * Reads a row as BigQuery or Jackson hands it over (numbers as numbers or strings, timestamps as
   * ISO strings, BigQuery's {@code yyyy-MM-dd HH:mm:ss UTC} or epoch seconds).
   *
   * @throws IllegalArgumentException naming the field when a required one is missing or malformed
   */
  public static HistoryRow parse(Map<String, ?> row) {
    String uid = requiredText(row, DetectionRow.UID);
    String text = requiredText(row, DetectionRow.TEXT);
    Object anomaly = row.get(DetectionRow.IS_ANOMALY);
    boolean isAnomaly =
        anomaly instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(anomaly));
    Object model = row.get(DetectionRow.EMBEDDING_MODEL);
    return new HistoryRow(
        uid,
        text,
        timestamp(row.get(DetectionRow.PROCESSED_TIME)),
        isAnomaly,
        model == null ? null : model.toString(),
        floats(row.get(DetectionRow.EMBEDDING)),
        group(row.get(DetectionRow.GROUP)));
  }

  public boolean hasEmbeddingFrom(String modelId) {
    return embedding != null && embedding.length > 0 && modelId.equals(embeddingModel);
  }

  private static String group(Object value) {
    String group = value == null ? null : value.toString();
    return GroupNames.valid(group) ? group : null;
  }

  private static String requiredText(Map<String, ?> row, String field) {
    Object value = row.get(field);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException("history row has no '" + field + "'");
    }
    return value.toString();
  }

  /**
   * BigQuery's own rendering of a TIMESTAMP in exported rows: {@code 2026-11-20 10:00:00.5 UTC}.
   */
  private static final DateTimeFormatter BIGQUERY_TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .appendLiteral(" UTC")
          .toFormatter()
          .withZone(ZoneOffset.UTC);

  private static Instant timestamp(Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    try {
      return text.endsWith(" UTC")
          ? BIGQUERY_TIMESTAMP.parse(text, Instant::from)
          : Instant.parse(text);
    } catch (DateTimeParseException notIso) {
      try {
        // BigQuery exports TIMESTAMP as seconds since the epoch, possibly fractional
        double seconds = Double.parseDouble(text);
        return Instant.ofEpochSecond(
            (long) Math.floor(seconds), (long) ((seconds - Math.floor(seconds)) * 1e9));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "history row has an unreadable processed_time '" + text + "'");
      }
    }
  }

  private static float[] floats(Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    float[] vector = new float[list.size()];
    for (int i = 0; i < vector.length; i++) {
      Object v = list.get(i);
      vector[i] = v instanceof Number n ? n.floatValue() : Float.parseFloat(String.valueOf(v));
    }
    return vector;
  }
}
