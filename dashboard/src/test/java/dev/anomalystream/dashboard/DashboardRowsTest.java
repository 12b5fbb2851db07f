package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import org.junit.jupiter.api.Test;

class DashboardRowsTest {

  @Test
  void keepsThePagesFieldsAndTheDecisionScore() throws Exception {
    DashboardRows.PageRow row =
        DashboardRows.toPageRow(TestRows.line("u-1", TestRows.HOSTILE_TEXT, true, 0.75), null);
    assertTrue(row.anomaly());
    JsonNode page = Json.MAPPER.readTree(row.json());
    assertEquals("u-1", page.get("uid").asText());
    assertEquals(TestRows.HOSTILE_TEXT, page.get("text").asText());
    assertEquals(0.75, page.get("score").asDouble());
    assertEquals(0.5, page.get("threshold").asDouble());
    assertEquals("v20261130-070000", page.get("model_version").asText());
    assertFalse(page.has("embedding"), "the embedding stays on the server");
  }

  @Test
  void theClusterDecisionShowsTheOutlierScore() throws Exception {
    String line = TestRows.line("u-2", "x", false, 0.75).replace("\"knn>0.5000\"", "\"cluster\"");
    JsonNode page = Json.MAPPER.readTree(DashboardRows.toPageRow(line, null).json());
    assertEquals(0.1, page.get("score").asDouble());
  }

  @Test
  void compactJsonIsOneLineEvenWhenTheTextHasLineBreaks() {
    String json =
        DashboardRows.toPageRow(TestRows.line("u-3", "a\nb\r\nc", false, 0.2), null).json();
    assertFalse(json.contains("\n") || json.contains("\r"), json);
  }

  @Test
  void rejectsWhatIsNotARow() {
    for (String line :
        new String[] {
          "",
          "not json",
          "[1,2]",
          "{\"text\":\"no uid\",\"is_anomaly\":false}",
          "{\"uid\":\"u\",\"is_anomaly\":\"yes\"}",
          "{\"uid\":\"u\""
        }) {
      assertThrows(IllegalArgumentException.class, () -> DashboardRows.toPageRow(line, null), line);
    }
  }
}
