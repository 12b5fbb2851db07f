package dev.anomalystream.detect;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import java.util.List;
import org.joda.time.Duration;

/**
 * One row per detection ({@link DetectionRow}): to BigQuery, partitioned by day on processed_time
 * so retraining's lookback reads only its days and clustered by model version, or to {@code
 * rows/detections-*.json} files.
 */
public final class WriteDetections {
  public static final String STAGE = WriteRows.STAGE;

  private WriteDetections() {}

  public static WriteRows<Detection> toBigQuery(String table) {
    return WriteRows.toBigQuery(
        DetectionRow::toRow,
        new WriteRows.Table(
            table,
            BigQueryTables.DETECTIONS_SCHEMA,
            DetectionRow.PROCESSED_TIME,
            List.of(DetectionRow.MODEL_VERSION),
            DetectionRow.UID));
  }

  public static WriteRows<Detection> toFiles(String outputDirectory, Duration flushInterval) {
    return WriteRows.toFiles(
        DetectionRow::toRow, outputDirectory + "/rows/detections", flushInterval);
  }
}
