package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.failure.FailureJson;
import dev.anomalystream.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Rows as the code writes them against the schema files in config/bigquery. */
class RowsMatchSchemaTest {
  private static final Instant T = Instant.parse("2026-11-23T09:00:00.123456Z");

  private static Map<String, TableFieldSchema> fields(String resource) {
    TableSchema schema = BigQueryTables.schema(resource);
    return schema.getFields().stream().collect(Collectors.toMap(TableFieldSchema::getName, f -> f));
  }

  private static void assertMatches(Map<String, ?> row, Map<String, TableFieldSchema> schema) {
    for (Map.Entry<String, ?> cell : row.entrySet()) {
      TableFieldSchema field = schema.get(cell.getKey());
      assertTrue(field != null, "column " + cell.getKey() + " is not in the schema");
      Object value = cell.getValue();
      boolean repeated = "REPEATED".equals(field.getMode());
      if (repeated) {
        assertTrue(value instanceof List, cell.getKey() + " should be a list");
        continue;
      }
      switch (field.getType()) {
        case "STRING" -> assertTrue(value instanceof String, cell.getKey());
        case "INTEGER" ->
            assertTrue(value instanceof Integer || value instanceof Long, cell.getKey());
        case "FLOAT" -> assertTrue(value instanceof Double, cell.getKey());
        case "BOOLEAN" -> assertTrue(value instanceof Boolean, cell.getKey());
        case "TIMESTAMP" -> Instant.parse((String) value);
        default -> throw new AssertionError("unexpected type " + field.getType());
      }
    }
    for (TableFieldSchema field : schema.values()) {
      if ("REQUIRED".equals(field.getMode())) {
        assertTrue(
            row.containsKey(field.getName()), "required column " + field.getName() + " missing");
      }
    }
  }

  @Test
  void detectionRowsFitTheDetectionsSchema() {
    Detection full =
        Detection.builder()
            .setMessage(
                InboundMessage.builder()
                    .setUid("u1")
                    .setText("hello")
                    .setLabel("joy")
                    .setEventTime(T)
                    .setPublishTime(T)
                    .setGroup("joy")
                    .build())
            .setCluster(2)
            .setProbability(0.7)
            .setOutlierScore(0.31)
            .setKnnScore(0.42)
            .setAnomaly(false)
            .setDecision("knn>0.6000")
            .setThreshold(0.6)
            .setModelVersion("v1")
            .setEmbeddingModel("sentence-transformers/all-MiniLM-L6-v2")
            .setProcessedTime(T)
            .setEmbedding(new float[] {0.6f, 0.8f})
            .setMapX(-0.25)
            .setMapY(0.5)
            .setLearned(true)
            .setHstScore(0.25)
            .setModelScope("group")
            .build();
    Map<String, Object> row = DetectionRow.toRow(full);
    assertMatches(row, fields(BigQueryTables.DETECTIONS_SCHEMA));
    assertEquals(
        fields(BigQueryTables.DETECTIONS_SCHEMA).keySet(),
        row.keySet(),
        "a detection with every field set fills every column of the table");
    assertEquals(List.of((double) 0.6f, (double) 0.8f), row.get("embedding"));
    assertEquals("2026-11-23T09:00:00.123456Z", row.get("publish_time"));

    Detection sparse =
        Detection.builder()
            .setMessage(
                InboundMessage.builder().setUid("u2").setText("hi").setPublishTime(T).build())
            .setCluster(-1)
            .setProbability(0.0)
            .setOutlierScore(Double.NaN)
            .setAnomaly(true)
            .setDecision("cluster")
            .setModelVersion("v1")
            .setEmbeddingModel("m")
            .setProcessedTime(T)
            .build();
    Map<String, Object> sparseRow = DetectionRow.toRow(sparse);
    assertMatches(sparseRow, fields(BigQueryTables.DETECTIONS_SCHEMA));
    assertFalse(sparseRow.containsKey("outlier_score"), "NaN is written as null");
    assertFalse(sparseRow.containsKey("embedding"));
    assertFalse(sparseRow.containsKey("group"), "a message without a group has no group column");
  }

  @Test
  void failureRowsFitTheErrorsSchema() throws Exception {
    Failure failure =
        Failure.builder()
            .setStage("decode")
            .setReason("payload is not valid UTF-8")
            .setPayload(new byte[] {(byte) 0xff})
            .setAttributes(Map.of("uid", "x"))
            .setTime(T)
            .setException(new IllegalArgumentException("malformed input"))
            .build();
    @SuppressWarnings("unchecked")
    Map<String, Object> row = Json.MAPPER.convertValue(FailureJson.toJson(failure), Map.class);
    Map<String, TableFieldSchema> schema = fields(BigQueryTables.ERRORS_SCHEMA);
    for (TableFieldSchema field : schema.values()) {
      if ("REQUIRED".equals(field.getMode())) {
        assertTrue(row.containsKey(field.getName()), field.getName());
      }
    }
    assertEquals(schema.keySet(), row.keySet());
    assertEquals("base64", row.get("payload_encoding"));
    assertEquals("/w==", row.get("payload"));
    assertEquals(List.of(Map.of("key", "uid", "value", "x")), row.get("attributes"));
    assertEquals(IllegalArgumentException.class.getName(), row.get("exception_class"));
  }
}
