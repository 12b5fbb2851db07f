package dev.anomalystream.report;

import dev.anomalystream.core.detection.DetectionRow;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Buckets detector output rows by the minute they were processed in. */
final class AnomalyRate {
  private AnomalyRate() {}

  /**
   * Counts per minute from the first to the last minute seen; minutes without messages in between
   * are included with zero counts so a stalled stream shows as a gap rather than being skipped.
   *
   * @param rows detections-table rows, each with {@code processed_time} (an ISO-8601 string or an
   *     {@link Instant}) and {@code is_anomaly} (a Boolean or "true"/"false")
   * @throws IllegalArgumentException naming the row and field when one is missing or malformed
   */
  static List<MinuteCount> perMinute(List<Map<String, Object>> rows) {
    TreeMap<Instant, long[]> counts = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      Instant minute = processedTime(row, i).truncatedTo(ChronoUnit.MINUTES);
      long[] messagesAndAnomalies = counts.computeIfAbsent(minute, m -> new long[2]);
      messagesAndAnomalies[0]++;
      if (isAnomaly(row, i)) {
        messagesAndAnomalies[1]++;
      }
    }
    List<MinuteCount> minutes = new ArrayList<>();
    if (counts.isEmpty()) {
      return minutes;
    }
    for (Instant minute = counts.firstKey();
        !minute.isAfter(counts.lastKey());
        minute = minute.plus(1, ChronoUnit.MINUTES)) {
      long[] messagesAndAnomalies = counts.getOrDefault(minute, new long[2]);
      minutes.add(new MinuteCount(minute, messagesAndAnomalies[0], messagesAndAnomalies[1]));
    }
    return minutes;
  }

  private static Instant processedTime(Map<String, Object> row, int index) {
    Object value = row.get(DetectionRow.PROCESSED_TIME);
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof String text) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "detection row "
                + index
                + ": "
                + DetectionRow.PROCESSED_TIME
                + " '"
                + text
                + "' is not an ISO-8601 instant",
            e);
      }
    }
    throw new IllegalArgumentException(
        "detection row " + index + " has no " + DetectionRow.PROCESSED_TIME + " instant");
  }

  private static boolean isAnomaly(Map<String, Object> row, int index) {
    Object value = row.get(DetectionRow.IS_ANOMALY);
    if (value instanceof Boolean flag) {
      return flag;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return "true".equals(value);
    }
    throw new IllegalArgumentException(
        "detection row "
            + index
            + ": "
            + DetectionRow.IS_ANOMALY
            + " is "
            + value
            + ", not true or false");
  }
}
