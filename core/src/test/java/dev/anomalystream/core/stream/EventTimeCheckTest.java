package dev.anomalystream.core.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeCheckTest {
  private static final Instant STAMP = Instant.parse("2026-11-23T09:00:00Z");
  private static final Duration LATENESS = Duration.ofMinutes(30);

  private static String problem(Instant eventTime) {
    return EventTimeCheck.problem(eventTime, STAMP, LATENESS);
  }

  @Test
  void timesWithinTheLatenessAndTheToleranceAreFine() {
    assertNull(problem(STAMP));
    assertNull(problem(STAMP.minus(Duration.ofMinutes(29))));
    assertNull(problem(STAMP.plus(Duration.ofMinutes(4))));
  }

  @Test
  void theBoundariesThemselvesAreFine() {
    assertNull(problem(STAMP.minus(LATENESS)));
    assertNull(problem(STAMP.plus(EventTimeCheck.FUTURE_TOLERANCE)));
  }

  @Test
  void aMillisecondTooOldIsRefusedForTheLateness() {
    String reason = problem(STAMP.minus(LATENESS).minusMillis(1));
    assertNotNull(reason);
    assertTrue(reason.contains("allowed lateness of 30 min"), reason);
    assertTrue(reason.contains("before the message was published"), reason);
    String older = problem(STAMP.minus(Duration.ofHours(2)));
    assertTrue(older.contains("7200 s before"), older);
    assertTrue(older.contains(STAMP.toString()), older);
  }

  @Test
  void aMillisecondBeyondTheFutureToleranceIsRefused() {
    String reason = problem(STAMP.plus(EventTimeCheck.FUTURE_TOLERANCE).plusMillis(1));
    assertNotNull(reason);
    assertTrue(reason.contains("after the message was published"), reason);
    assertTrue(reason.contains("5 min"), reason);
    String far = problem(STAMP.plus(Duration.ofHours(1)));
    assertTrue(far.contains("3600 s after"), far);
  }

  @Test
  void zeroLatenessRefusesAnythingBeforeTheStamp() {
    assertNull(EventTimeCheck.problem(STAMP, STAMP, Duration.ZERO));
    assertNotNull(EventTimeCheck.problem(STAMP.minusMillis(1), STAMP, Duration.ZERO));
  }
}
