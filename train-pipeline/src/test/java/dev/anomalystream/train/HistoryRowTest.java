package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryRowTest {
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  @Test
  void readsNdjsonAndBigQueryShapes() {
    HistoryRow json =
        HistoryRow.parse(
            Map.of(
                "uid",
                "a",
                "text",
                "hello",
                "is_anomaly",
                false,
                "processed_time",
                "2026-11-20T10:00:00Z",
                "embedding_model",
                "m",
                "embedding",
                List.of(0.6, 0.8)));
    assertEquals(T, json.processedTime());
    assertArrayEquals(new float[] {0.6f, 0.8f}, json.embedding());
    assertTrue(json.hasEmbeddingFrom("m"));
    assertFalse(json.hasEmbeddingFrom("other"));

    HistoryRow exported =
        HistoryRow.parse(
            Map.of(
                "uid",
                "b",
                "text",
                "hi",
                "is_anomaly",
                "true",
                "processed_time",
                "1795168800.5",
                "embedding",
                List.of("0.1", "0.2")));
    assertTrue(exported.isAnomaly());
    assertEquals(T.plusMillis(500), exported.processedTime());
    assertFalse(exported.hasEmbeddingFrom("m"), "no model recorded: the vector cannot be trusted");
    assertEquals(
        T.plusMillis(250),
        HistoryRow.parse(
                Map.of("uid", "c", "text", "x", "processed_time", "2026-11-20 10:00:00.25 UTC"))
            .processedTime());
  }

  @Test
  void theHistoryQuerySelectsTheNeededColumnsInTheRange() {
    assertEquals(
        "SELECT uid, text, is_anomaly, processed_time, embedding_model, embedding FROM"
            + " `my-project.anomalies.detections` WHERE processed_time >="
            + " TIMESTAMP('2026-11-20T10:00:00Z') AND processed_time <"
            + " TIMESTAMP('2026-11-21T10:00:00Z')",
        ReadHistory.historyQuery(
            "my-project:anomalies.detections", T, T.plusSeconds(86400), false));
    assertEquals(
        "SELECT uid, text, is_anomaly, processed_time, embedding_model, embedding FROM"
            + " `my-project.anomalies.detections`",
        ReadHistory.historyQuery("my-project:anomalies.detections", null, null, false));
  }

  @Test
  void aRowsGroupIsReadWhenItCanNameAGroupModel() {
    Map<String, Object> row =
        new HashMap<>(Map.of("uid", "a", "text", "x", "processed_time", "2026-11-20T10:00:00Z"));
    assertNull(HistoryRow.parse(row).group());
    row.put("group", "sport");
    assertEquals("sport", HistoryRow.parse(row).group());
    row.put("group", "");
    assertNull(HistoryRow.parse(row).group(), "an invalid group trains the global model only");
  }

  @Test
  void missingFieldsAreNamed() {
    Map<String, Object> row = new HashMap<>(Map.of("uid", "a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HistoryRow.parse(row));
    assertEquals("history row has no 'text'", e.getMessage());
    row.put("text", "x");
    row.put("processed_time", "last tuesday");
    assertThrows(IllegalArgumentException.class, () -> HistoryRow.parse(row));
  }

  @Test
  void selectionKeepsTheRangeDropsAnomaliesAndPrefersTheNewerRow() {
    HistoryRow normal = new HistoryRow("u", "t", T, false, null, null);
    HistoryRow anomaly = new HistoryRow("v", "t", T, true, null, null);
    assertTrue(SelectTrainingRows.keep(normal, T, T.plusSeconds(1), false));
    assertFalse(SelectTrainingRows.keep(normal, T.plusSeconds(1), null, false));
    assertFalse(SelectTrainingRows.keep(normal, null, T, false), "the upper bound is exclusive");
    assertFalse(SelectTrainingRows.keep(anomaly, null, null, false));
    assertTrue(SelectTrainingRows.keep(anomaly, null, null, true));
    HistoryRow later = new HistoryRow("u", "t2", T.plusSeconds(5), false, null, null);
    assertEquals(later, SelectTrainingRows.newer(normal, later));
    assertEquals(later, SelectTrainingRows.newer(later, normal));
    assertNull(new HistoryRow("w", "t", null, false, null, null).processedTime());
  }
}
