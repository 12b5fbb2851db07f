package dev.anomalystream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.DriftDecision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream view's rows against the schema files in config/bigquery. */
class StreamRowsMatchSchemaTest {
  private static final Path SCHEMAS = Path.of("..", "config", "bigquery");
  private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
  private static final Instant END = Instant.parse("2026-11-23T09:10:00Z");

  /** Field name to {type, mode}. */
  private static Map<String, String[]> schema(String file) throws IOException {
    JsonNode fields = Json.MAPPER.readTree(SCHEMAS.resolve(file).toFile());
    Map<String, String[]> schema = new LinkedHashMap<>();
    for (JsonNode field : fields) {
      schema.put(
          field.get("name").asText(),
          new String[] {field.get("type").asText(), field.path("mode").asText("NULLABLE")});
    }
    assertFalse(schema.isEmpty(), file);
    return schema;
  }

  private static void assertMatches(Map<String, Object> row, String file) throws IOException {
    Map<String, String[]> schema = schema(file);
    for (Map.Entry<String, Object> cell : row.entrySet()) {
      String[] field = schema.get(cell.getKey());
      assertNotNull(field, "column " + cell.getKey() + " is not in " + file);
      Object value = cell.getValue();
      if (value == null) {
        assertEquals("NULLABLE", field[1], cell.getKey() + " is null");
        continue;
      }
      if ("REPEATED".equals(field[1])) {
        assertTrue(value instanceof List, cell.getKey() + " should be a list");
        continue;
      }
      switch (field[0]) {
        case "STRING" -> assertTrue(value instanceof String, cell.getKey());
        case "INTEGER" ->
            assertTrue(value instanceof Integer || value instanceof Long, cell.getKey());
        case "FLOAT" ->
            assertTrue(
                value instanceof Double d && Double.isFinite(d), cell.getKey() + " = " + value);
        case "BOOLEAN" -> assertTrue(value instanceof Boolean, cell.getKey());
        case "TIMESTAMP" -> Instant.parse((String) value);
        default -> throw new AssertionError("unexpected type " + field[0]);
      }
    }
    for (Map.Entry<String, String[]> field : schema.entrySet()) {
      if ("REQUIRED".equals(field.getValue()[1])) {
        assertTrue(row.containsKey(field.getKey()), "required column " + field.getKey());
        assertNotNull(row.get(field.getKey()), "required column " + field.getKey());
      }
    }
    // and it survives JSON, as the local files and BigQuery's insert take it
    String json = Json.MAPPER.writeValueAsString(row);
    assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
  }

  @Test
  void windowRowsFitTheWindowsSchema() throws IOException {
    WindowSummary full =
        new WindowSummary(
            START,
            END,
            120,
            7,
            new DriftDecision(3.2, 2.5, 0.31, 0.1, true),
            2,
            "v3",
            "ON_TIME",
            0);
    Map<String, Object> row = full.toRow();
    assertMatches(row, "windows_schema.json");
    assertEquals(schema("windows_schema.json").keySet(), row.keySet(), "every column filled");
    assertEquals(START.toString(), row.get(WindowSummary.WINDOW_START));
    assertEquals(3.2, row.get(WindowSummary.DRIFT_SCORE));
    assertEquals(true, row.get(WindowSummary.IS_DRIFT));

    Map<String, Object> noDrift =
        new WindowSummary(START, END, 0, 0, null, 0, null, "LATE", 3).toRow();
    assertMatches(noDrift, "windows_schema.json");
    assertFalse(noDrift.containsKey(WindowSummary.IS_DRIFT));
    assertEquals(3L, noDrift.get(WindowSummary.PANE_INDEX));
  }

  @Test
  void nonFiniteDriftValuesAreNotWrittenAsNaN() throws IOException {
    WindowSummary odd =
        new WindowSummary(
            START,
            END,
            3,
            0,
            new DriftDecision(
                Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NEGATIVE_INFINITY, false),
            0,
            "v1",
            "ON_TIME",
            0);
    Map<String, Object> row = odd.toRow();
    assertMatches(row, "windows_schema.json");
    for (String column :
        List.of(
            WindowSummary.DRIFT_SCORE,
            WindowSummary.DRIFT_THRESHOLD,
            WindowSummary.DRIFT_EFFECT,
            WindowSummary.DRIFT_MIN_EFFECT)) {
      Object value = row.get(column);
      assertTrue(value == null || Double.isFinite((Double) value), column + " = " + value);
    }
    assertEquals(false, row.get(WindowSummary.IS_DRIFT));
  }

  @Test
  void topicRowsFitTheTopicsSchema() throws IOException {
    TopicEvent event =
        new TopicEvent(
            "topic-20261123T0910-1",
            END,
            END.plusSeconds(60),
            12,
            List.of("a", "b"),
            List.of("earthquake", "lima"),
            List.of("quake in lima"),
            "v2",
            true);
    Map<String, Object> row = event.toRow();
    assertMatches(row, "topics_schema.json");
    assertEquals(schema("topics_schema.json").keySet(), row.keySet());
    assertEquals(List.of("a", "b"), row.get(TopicEvent.UIDS));

    Map<String, Object> bare =
        new TopicEvent("t", END, END, 2, List.of(), List.of(), List.of(), null, false).toRow();
    assertMatches(bare, "topics_schema.json");
  }

  @Test
  void windowScoreRowsFitTheWindowScoresSchema() throws IOException {
    Map<String, Object> row = new WindowScore("m1", START, END, 0.42, 4).toRow();
    assertMatches(row, "window_scores_schema.json");
    assertEquals(schema("window_scores_schema.json").keySet(), row.keySet());
    assertEquals(0.42, row.get(WindowScore.WINDOW_SCORE));
    assertEquals(4, row.get(WindowScore.WINDOW_CLUSTERS));
  }
}
