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
 *
 * <p>An explicit mapping rather than {@code BigQueryUtils.toTableRow} of the Beam schema: the table
 * is flat (the message's columns beside the verdict's, snake_case), its timestamps are TIMESTAMP
 * columns where the schema holds epoch microseconds, and its vector is FLOAT64 where the schema's
 * is FLOAT. {@code RowsMatchSchemaTest} holds the two in agreement.
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
  public static final String MAP_X = "map_x";
  public static final String MAP_Y = "map_y";
  public static final String LEARNED = "learned";
  public static final String HST_SCORE = "hst_score";
  public static final String GROUP = "group";
  public static final String MODEL_SCOPE = "model_scope";

  private DetectionRow() {}

  public static Map<String, Object> toRow(Detection d) {
    Map<String, Object> row = new LinkedHashMap<>();
    InboundMessage m = d.getMessage();
    row.put(UID, m.getUid());
    row.put(TEXT, m.getText());
    putIfPresent(row, LABEL, m.getLabel());
    row.put(CLUSTER, d.getCluster());
    row.put(IS_ANOMALY, d.isAnomaly());
    putFinite(row, PROBABILITY, d.getProbability());
    putFinite(row, OUTLIER_SCORE, d.getOutlierScore());
    putFinite(row, KNN_SCORE, d.getKnnScore());
    putFinite(row, THRESHOLD, d.getThreshold());
    row.put(DECISION, d.getDecision());
    row.put(MODEL_VERSION, d.getModelVersion());
    row.put(EMBEDDING_MODEL, d.getEmbeddingModel());
    putIfPresent(row, EVENT_TIME, m.getEventTime() == null ? null : m.getEventTime().toString());
    row.put(PUBLISH_TIME, m.getPublishTime().toString());
    row.put(PROCESSED_TIME, d.getProcessedTime().toString());
    putFinite(row, MAP_X, d.getMapX());
    putFinite(row, MAP_Y, d.getMapY());
    putIfPresent(row, LEARNED, d.getLearned());
    putFinite(row, HST_SCORE, d.getHstScore());
    putIfPresent(row, GROUP, m.getGroup());
    putIfPresent(row, MODEL_SCOPE, d.getModelScope());
    float[] embedding = d.getEmbedding();
    if (embedding != null) {
      List<Double> values = new ArrayList<>(embedding.length);
      for (float v : embedding) {
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
