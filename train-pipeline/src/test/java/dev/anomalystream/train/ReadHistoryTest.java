package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The history query's text for each bound, and the lookback's lower bound. */
class ReadHistoryTest {
  private static final String TABLE = "my-project:anomalies.detections";
  private static final String SELECT =
      "SELECT uid, text, is_anomaly, processed_time, embedding_model, embedding"
          + " FROM `my-project.anomalies.detections`";
  private static final Instant FROM = Instant.parse("2026-10-31T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-30T00:00:00Z");

  @Test
  void selectsOnlyTheNeededColumnsAndBoundsProcessedTimeByLiterals() {
    assertEquals(SELECT, ReadHistory.historyQuery(TABLE, null, null, false));
    assertEquals(
        SELECT + " WHERE processed_time >= TIMESTAMP('2026-10-31T00:00:00Z')",
        ReadHistory.historyQuery(TABLE, FROM, null, false));
    assertEquals(
        SELECT + " WHERE processed_time < TIMESTAMP('2026-11-30T00:00:00Z')",
        ReadHistory.historyQuery(TABLE, null, TO, false));
    assertEquals(
        SELECT
            + " WHERE processed_time >= TIMESTAMP('2026-10-31T00:00:00Z')"
            + " AND processed_time < TIMESTAMP('2026-11-30T00:00:00Z')",
        ReadHistory.historyQuery(TABLE, FROM, TO, false));
    assertEquals(
        "SELECT uid, text, is_anomaly, processed_time, embedding_model, embedding, `group`"
            + " FROM `my-project.anomalies.detections`",
        ReadHistory.historyQuery(TABLE, null, null, true),
        "the group column only when training per group, quoted: GROUP is a reserved word");
  }

  @Test
  void theLookbackStartsAtMidnightUtcSoTheQueryIsTheSameAllDay() {
    Instant morning = Instant.parse("2026-11-30T04:40:12Z");
    Instant evening = Instant.parse("2026-11-30T23:59:59Z");
    assertEquals(FROM, ReadHistory.lookbackStart(30, morning));
    assertEquals(FROM, ReadHistory.lookbackStart(30, evening));
    assertEquals(Instant.parse("2026-11-29T00:00:00Z"), ReadHistory.lookbackStart(1, morning));
    assertNull(ReadHistory.lookbackStart(0, morning), "0 reads all history");
    assertThrows(IllegalArgumentException.class, () -> ReadHistory.lookbackStart(-1, morning));
  }

  @Test
  void theLaterOfFromAndTheLookbackApplies() {
    Instant later = Instant.parse("2026-11-15T00:00:00Z");
    assertEquals(later, ReadHistory.laterStart(FROM, later));
    assertEquals(later, ReadHistory.laterStart(later, FROM));
    assertEquals(FROM, ReadHistory.laterStart(null, FROM));
    assertEquals(FROM, ReadHistory.laterStart(FROM, null));
    assertNull(ReadHistory.laterStart(null, null));
  }
}
