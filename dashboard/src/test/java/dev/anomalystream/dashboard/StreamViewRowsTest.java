package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamViewRowsTest {

  @Test
  void aWindowKeepsItsCountsAndDriftDecision() throws Exception {
    StreamViewRows.PageWindow window =
        StreamViewRows.toPageWindow(TestRows.window("2026-11-30T07:20:00Z", 4.5, 2));
    assertEquals("2026-11-30T07:10:00Z/2026-11-30T07:20:00Z", window.key());
    assertEquals(2, window.pane());
    JsonNode page = Json.MAPPER.readTree(window.json());
    assertEquals("2026-11-30T07:20:00Z", page.get("window_end").asText());
    assertEquals(120, page.get("messages").asLong());
    assertEquals(7, page.get("anomalies").asLong());
    assertEquals(4.5, page.get("drift_score").asDouble());
    assertEquals(3.0, page.get("drift_threshold").asDouble());
    assertTrue(page.get("is_drift").asBoolean());
    assertEquals("LATE", page.get("pane_timing").asText());
    assertEquals("v20261130-070000", page.get("model_version").asText());
  }

  @Test
  void aWindowWithoutDriftReferenceHasNoDriftFields() throws Exception {
    JsonNode page =
        Json.MAPPER.readTree(
            StreamViewRows.toPageWindow(TestRows.window("2026-11-30T07:20:00Z", null, 0)).json());
    assertFalse(page.has("drift_score"));
    assertFalse(page.has("is_drift"));
    assertEquals(0, page.get("pane_index").asLong());
  }

  @Test
  void aTopicKeepsThreeExamplesAsTheyAreAndNoUids() throws Exception {
    StreamViewRows.PageTopic topic =
        StreamViewRows.toPageTopic(
            TestRows.topic(
                "t-1", "2026-11-30T07:20:00Z", 6, TestRows.HOSTILE_TEXT, "b", "c", "d", "e"));
    assertEquals("t-1", topic.topicId());
    assertEquals(6, topic.size());
    JsonNode page = Json.MAPPER.readTree(topic.json());
    assertEquals(
        List.of(TestRows.HOSTILE_TEXT, "b", "c"),
        Json.MAPPER.convertValue(page.get("examples"), List.class));
    assertEquals(
        List.of("moons", "neptune"), Json.MAPPER.convertValue(page.get("terms"), List.class));
    assertEquals("2026-11-30T07:10:00Z", page.get("first_window_end").asText());
    assertFalse(page.has("uids"), "the uids stay on the server");
  }

  @Test
  void aLaterOrLargerStateOfATopicSupersedesAnEarlierOne() {
    StreamViewRows.PageTopic first =
        StreamViewRows.toPageTopic(TestRows.topic("t", "2026-11-30T07:20:00Z", 5));
    StreamViewRows.PageTopic larger =
        StreamViewRows.toPageTopic(TestRows.topic("t", "2026-11-30T07:20:00Z", 6));
    StreamViewRows.PageTopic later =
        StreamViewRows.toPageTopic(TestRows.topic("t", "2026-11-30T07:21:00Z", 5));
    assertTrue(larger.supersedes(first));
    assertTrue(later.supersedes(larger));
    assertFalse(first.supersedes(later));
  }

  @Test
  void rowsThePageCouldNotPlaceAreRefused() {
    for (String line :
        new String[] {
          "{not json",
          "[1]",
          "{\"window_start\":\"2026-11-30T07:10:00Z\",\"messages\":3}",
          "{\"window_start\":\"2026-11-30T07:10:00Z\",\"window_end\":\"yesterday\",\"messages\":3}",
          "{\"window_start\":\"2026-11-30T07:10:00Z\",\"window_end\":\"2026-11-30T07:20:00Z\"}"
        }) {
      assertThrows(IllegalArgumentException.class, () -> StreamViewRows.toPageWindow(line), line);
    }
    for (String line :
        new String[] {
          "{\"size\":3,\"last_window_end\":\"2026-11-30T07:20:00Z\"}",
          "{\"topic_id\":\"t\",\"size\":3}",
          "{\"topic_id\":\"t\",\"size\":\"3\",\"last_window_end\":\"2026-11-30T07:20:00Z\"}"
        }) {
      assertThrows(IllegalArgumentException.class, () -> StreamViewRows.toPageTopic(line), line);
    }
  }
}
