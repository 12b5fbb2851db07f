package dev.anomalystream.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnomalyRateTest {

  @Test
  void countsPerMinuteAndKeepsEmptyMinutesInBetween() {
    List<Map<String, Object>> rows =
        List.of(
            row("2026-11-23T10:00:05Z", true),
            row("2026-11-23T10:00:59.999Z", false),
            row("2026-11-23T10:03:00Z", "true"),
            Map.of("processed_time", Instant.parse("2026-11-23T10:03:30Z"), "is_anomaly", false),
            row("2026-11-23T10:03:31Z", false));
    List<MinuteCount> minutes = AnomalyRate.perMinute(rows);
    assertEquals(
        List.of(
            new MinuteCount(Instant.parse("2026-11-23T10:00:00Z"), 2, 1),
            new MinuteCount(Instant.parse("2026-11-23T10:01:00Z"), 0, 0),
            new MinuteCount(Instant.parse("2026-11-23T10:02:00Z"), 0, 0),
            new MinuteCount(Instant.parse("2026-11-23T10:03:00Z"), 3, 1)),
        minutes);
    assertEquals(1.0 / 3, minutes.get(3).anomalyRate(), 1e-12);
    assertEquals(0.0, minutes.get(1).anomalyRate());
  }

  @Test
  void malformedRowsAreNamedInTheError() {
    IllegalArgumentException badTime =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AnomalyRate.perMinute(
                    List.of(row("2026-11-23T10:00:05Z", true), row("yesterday", true))));
    assertTrue(badTime.getMessage().contains("detection row 1"), badTime.getMessage());
    assertTrue(badTime.getMessage().contains("processed_time"), badTime.getMessage());

    IllegalArgumentException badFlag =
        assertThrows(
            IllegalArgumentException.class,
            () -> AnomalyRate.perMinute(List.of(row("2026-11-23T10:00:05Z", "maybe"))));
    assertTrue(badFlag.getMessage().contains("is_anomaly"), badFlag.getMessage());
  }

  private static Map<String, Object> row(String processedTime, Object isAnomaly) {
    return Map.of("processed_time", processedTime, "is_anomaly", isAnomaly);
  }
}
