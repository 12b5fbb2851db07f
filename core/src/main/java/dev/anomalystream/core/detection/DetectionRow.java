package dev.anomalystream.core.detection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Detection} as a row of the detections table ({@code
 * config/bigquery/detections_schema.json}). The same map becomes a BigQuery {@code TableRow} and a
 * line of the local NDJSON output, so the local files load into BigQuery as they are. Timestamps
 * are ISO-8601 strings; a non-finite score is written as null (JSON has no NaN).
 */
public final class DetectionRow {
  public static final String UID = "uid";
  public static final String TEXT = "text";
  public static final String LABEL = "label";
  public static final String CLUSTER = "cluster";
  public static final String IS_ANOMALY = "is_anomaly";
  public static final String PROBABILITY = "probability";
  public static final String OUTLIER_SCORE = "outlier_score";
  public static final String KNN_SCORE = "knn_score";
  public static final String THRESHOLD = "threshold";
  public static final String DECISION = "decision";
  public static final String MODEL_VERSION = "model_version";
  public static final String EMBEDDING_MODEL = "embedding_model";
  public static final String EVENT_TIME = "event_time";
  public static final String PUBLISH_TIME = "publish_time";
  public static final String PROCESSED_TIME = "processed_time";
  public static final String EMBEDDING = "embedding";

  private DetectionRow() {}

  public static Map<String, Object> toRow(Detection d) {
    Map<String, Object> row = new LinkedHashMap<>();
    InboundMessage m = d.message();
    row.put(UID, m.uid());
    row.put(TEXT, m.text());
    putIfPresent(row, LABEL, m.label());
    row.put(CLUSTER, d.cluster());
    row.put(IS_ANOMALY, d.isAnomaly());
    putFinite(row, PROBABILITY, d.probability());
    putFinite(row, OUTLIER_SCORE, d.outlierScore());
    putFinite(row, KNN_SCORE, d.knnScore());
    putFinite(row, THRESHOLD, d.threshold());
    row.put(DECISION, d.decision());
    row.put(MODEL_VERSION, d.modelVersion());
    row.put(EMBEDDING_MODEL, d.embeddingModel());
    putIfPresent(row, EVENT_TIME, m.eventTime() == null ? null : m.eventTime().toString());
    row.put(PUBLISH_TIME, m.publishTime().toString());
    row.put(PROCESSED_TIME, d.processedTime().toString());
    if (d.embedding() != null) {
      List<Double> values = new ArrayList<>(d.embedding().length);
      for (float v : d.embedding()) {
        values.add((double) v);
      }
      row.put(EMBEDDING, values);
    }
    return row;
  }

  private static void putIfPresent(Map<String, Object> row, String field, Object value) {
    if (value != null) {
      row.put(field, value);
    }
  }

  private static void putFinite(Map<String, Object> row, String field, Double value) {
    if (value != null && Double.isFinite(value)) {
      row.put(field, value);
    }
  }
}
