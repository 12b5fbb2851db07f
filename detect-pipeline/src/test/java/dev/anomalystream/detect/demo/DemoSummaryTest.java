package dev.anomalystream.detect.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anomalystream.core.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> row(
      String uid, boolean flagged, String published, String processed) throws Exception {
    // as DetectionRowFiles hands them over: parsed from the NDJSON line
    return Json.MAPPER.readValue(
        "{\"uid\":\""
            + uid
            + "\",\"is_anomaly\":"
            + flagged
            + ",\"publish_time\":\""
            + published
            + "\",\"processed_time\":\""
            + processed
            + "\"}",
        Map.class);
  }

  @Test
  void precisionRecallThroughputAndLatency() throws Exception {
    List<Map<String, Object>> rows =
        List.of(
            row("normal-1", false, "2026-11-23T10:00:00Z", "2026-11-23T10:00:00.100Z"),
            row("normal-2", true, "2026-11-23T10:00:01Z", "2026-11-23T10:00:01.200Z"),
            row("offtopic-1", true, "2026-11-23T10:00:02Z", "2026-11-23T10:00:02.300Z"),
            row("offtopic-2", false, "2026-11-23T10:00:03Z", "2026-11-23T10:00:04Z"));
    DemoSummary.Figures f = DemoSummary.figures(rows, "offtopic-");
    assertEquals(4, f.messages());
    assertEquals(2, f.anomalies());
    assertEquals(0.5, f.precision(), 1e-9);
    assertEquals(0.5, f.recall(), 1e-9);
    assertEquals(1.0, f.messagesPerSecond(), 1e-9); // 4 rows from 10:00:00 to 10:00:04
    assertEquals(200, f.p50LatencyMs());
    assertEquals(1000, f.p99LatencyMs());
    // processed from 10:00:00.100 to 10:00:04: 4 rows in 3.9 s
    assertEquals(3.9, f.drainSeconds(), 1e-9);
    assertEquals(4 / 3.9, f.drainMessagesPerSecond(), 1e-9);
  }

  @Test
  void summaryJsonNamesRunnerAndBusAndTheDrainRateWhenAsked() throws Exception {
    DemoSummary.Figures f =
        DemoSummary.figures(
            List.of(
                row("normal-1", false, "2026-11-23T10:00:00Z", "2026-11-23T10:00:01Z"),
                row("offtopic-1", true, "2026-11-23T10:00:00Z", "2026-11-23T10:00:03Z")),
            "offtopic-");
    assertEquals(
        "{\"messages\":2,\"anomalies\":1,\"precision\":1.0,\"recall\":1.0,"
            + "\"messages_per_second\":0.667,\"p50_latency_ms\":1000,\"p99_latency_ms\":3000}",
        DemoSummary.summaryJson(f, null, null, false).toString());
    assertEquals(
        "{\"messages\":2,\"anomalies\":1,\"precision\":1.0,\"recall\":1.0,"
            + "\"messages_per_second\":0.667,\"p50_latency_ms\":1000,\"p99_latency_ms\":3000,"
            + "\"drain_seconds\":2.0,\"drain_messages_per_second\":1.0,"
            + "\"runner\":\"flink\",\"bus\":\"kafka\"}",
        DemoSummary.summaryJson(f, "flink", "kafka", true).toString());
  }

  @Test
  void noRowsNoRates() {
    DemoSummary.Figures f = DemoSummary.figures(List.of(), "offtopic-");
    assertEquals(0, f.messages());
    assertEquals(0.0, f.messagesPerSecond(), 1e-9);
    assertEquals(0.0, f.drainMessagesPerSecond(), 1e-9);
  }

  @Test
  void percentileIsNearestRank() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    assertEquals(50, DemoSummary.percentile(sorted, 0.5));
    assertEquals(100, DemoSummary.percentile(sorted, 0.99));
    assertEquals(0, DemoSummary.percentile(new long[0], 0.5));
  }
}
