package dev.anomalystream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CentredWindowTest {
  private static final long MINUTE = 60_000L;
  private static final long SIZE = 10 * MINUTE;
  private static final long SLIDE = MINUTE;

  /** A window start on the grid of slides, like Beam's (multiples of the period since epoch). */
  private static final long BASE = 1_795_000_000_000L / MINUTE * MINUTE;

  /** The starts of the sliding windows holding {@code time}: starts on the grid in (t-size, t]. */
  private static List<Long> windowsHolding(long time, long size, long slide) {
    List<Long> starts = new ArrayList<>();
    long last = Math.floorDiv(time, slide) * slide;
    for (long start = last; start > time - size; start -= slide) {
      starts.add(start);
    }
    return starts;
  }

  private static List<Long> centredWindows(long time, long size, long slide) {
    return windowsHolding(time, size, slide).stream()
        .filter(start -> CentredWindow.isCentredOn(start, start + size, time, slide))
        .toList();
  }

  @Test
  void everyTimeIsScoredByExactlyOneWindowTheNearestCentred() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      // whole milliseconds over a few hours, plus times on and near the grid
      long time =
          switch (i % 4) {
            case 0 -> BASE + random.nextInt((int) (300 * MINUTE));
            case 1 -> BASE + random.nextInt(300) * MINUTE;
            case 2 -> BASE + random.nextInt(300) * MINUTE + MINUTE / 2;
            default -> BASE + random.nextInt(300) * MINUTE + MINUTE / 2 + random.nextInt(3) - 1;
          };
      List<Long> holding = windowsHolding(time, SIZE, SLIDE);
      assertEquals(10, holding.size());
      List<Long> centred = centredWindows(time, SIZE, SLIDE);
      assertEquals(1, centred.size(), "time " + time + " is scored by " + centred);
      double distance = Math.abs(centred.get(0) + SIZE / 2.0 - time);
      for (long start : holding) {
        double other = Math.abs(start + SIZE / 2.0 - time);
        assertTrue(
            distance <= other,
            "window " + centred.get(0) + " scores " + time + " but " + start + " is nearer");
      }
      assertTrue(distance <= SLIDE / 2.0, "the centre is within half a slide");
    }
  }

  @Test
  void aTimeOnTheGridIsScoredByTheWindowCentredExactlyOnIt() {
    long time = BASE + 42 * MINUTE;
    assertEquals(List.of(time - 5 * MINUTE), centredWindows(time, SIZE, SLIDE));
    assertTrue(CentredWindow.isCentredOn(time - 5 * MINUTE, time + 5 * MINUTE, time, SLIDE));
  }

  @Test
  void aTimeExactlyAtAWindowStartBelongsToItButIsNotScoredByIt() {
    long start = BASE + 7 * MINUTE;
    assertFalse(CentredWindow.isCentredOn(start, start + SIZE, start, SLIDE));
    assertTrue(CentredWindow.isCentredOn(start - 5 * MINUTE, start + 5 * MINUTE, start, SLIDE));
    // the window ending there does not hold it (end exclusive)
    assertFalse(CentredWindow.isCentredOn(start - SIZE, start, start, SLIDE));
  }

  @Test
  void aTieBetweenTwoCentresGoesToTheLaterWindow() {
    long time = BASE + 20 * MINUTE + MINUTE / 2;
    // windows starting at 15 and 16 min have centres 30 s either side of it
    assertEquals(List.of(BASE + 16 * MINUTE), centredWindows(time, SIZE, SLIDE));
  }

  @Test
  void timesOutsideTheWindowAreNeverCentred() {
    long start = BASE;
    assertFalse(CentredWindow.isCentredOn(start, start + SIZE, start - 1, SLIDE));
    assertFalse(CentredWindow.isCentredOn(start, start + SIZE, start + SIZE, SLIDE));
  }

  @Test
  void fixedWindowsScoreEachTimeInItsOnlyWindow() {
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      long time = BASE + random.nextInt((int) (100 * SIZE));
      List<Long> holding = windowsHolding(time, SIZE, SIZE);
      assertEquals(1, holding.size());
      long start = holding.get(0);
      assertTrue(CentredWindow.isCentredOn(start, start + SIZE, time, SIZE), "time " + time);
    }
    // edges: the first and the last millisecond of a window
    assertTrue(CentredWindow.isCentredOn(BASE, BASE + SIZE, BASE, SIZE));
    assertTrue(CentredWindow.isCentredOn(BASE, BASE + SIZE, BASE + SIZE - 1, SIZE));
  }

  @Test
  void aSlideThatDoesNotDivideTheWindowStillScoresEachTimeOnce() {
    long size = 10 * MINUTE;
    long slide = 3 * MINUTE;
    Random random = new Random(3);
    for (int i = 0; i < 5_000; i++) {
      long time = BASE + random.nextInt((int) (100 * MINUTE));
      List<Long> centred = centredWindows(time, size, slide);
      assertEquals(1, centred.size(), "time " + time + " is scored by " + centred);
      double distance = Math.abs(centred.get(0) + size / 2.0 - time);
      for (long start : windowsHolding(time, size, slide)) {
        assertTrue(distance <= Math.abs(start + size / 2.0 - time));
      }
    }
  }
}
