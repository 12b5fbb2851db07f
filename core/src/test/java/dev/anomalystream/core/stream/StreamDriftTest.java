package dev.anomalystream.core.stream;

import static dev.anomalystream.core.stream.StreamFixtures.detection;
import static dev.anomalystream.core.stream.StreamFixtures.randomUnit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.model.DriftReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drift over a made-up stream, window after sliding window, as the detector sees it: steady normal
 * traffic drifts in none of a day's windows, and a rise of off-topic messages drifts within one
 * window length of its start.
 */
class StreamDriftTest {
  private static final int TOPICS = 4;
  private static final int DIMENSION = 16;
  private static final double FLAGGED_SHARE = 0.01;
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Duration SLIDE = Duration.ofMinutes(1);
  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
  private static final int PER_MINUTE = 10;

  private static float[][] normal;
  private static DriftReference reference;

  @BeforeAll
  static void fitReference() {
    normal = SyntheticEmbeddings.groups(new Random(3), TOPICS, 8000, DIMENSION, 0.15);
    Random random = new Random(4);
    boolean[] flagged = new boolean[2000];
    for (int i = 0; i < flagged.length; i++) {
      flagged[i] = random.nextDouble() < FLAGGED_SHARE;
    }
    reference =
        DriftReference.fit(
            Arrays.copyOfRange(normal, 0, 4000),
            Arrays.copyOfRange(normal, 4000, 6000),
            flagged,
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE,
            42);
  }

  /** Messages at {@link #PER_MINUTE} a minute from START; off-topic (flagged) at the given rate. */
  private static List<Detection> stream(Duration length, Instant riseAt, double offTopicShare) {
    Random random = new Random(5);
    List<Detection> messages = new ArrayList<>();
    long count = length.toMinutes() * PER_MINUTE;
    for (int i = 0; i < count; i++) {
      Instant time = START.plusMillis(i * 60_000L / PER_MINUTE);
      boolean offTopic =
          riseAt != null && !time.isBefore(riseAt) && random.nextDouble() < offTopicShare;
      float[] embedding =
          offTopic
              ? randomUnit(DIMENSION, random)
              : normal[6000 + random.nextInt(normal.length - 6000)];
      boolean flagged = offTopic || random.nextDouble() < FLAGGED_SHARE;
      messages.add(detection("m-" + i, time, flagged, embedding));
    }
    return messages;
  }

  /** The window rows of every sliding window ending within the stream, in order. */
  private static List<WindowSummary> windows(List<Detection> messages, Duration length) {
    WindowAnalysis.Settings settings = new WindowAnalysis.Settings(WINDOW, SLIDE, 5);
    List<WindowSummary> rows = new ArrayList<>();
    for (Instant end = START.plus(WINDOW);
        !end.isAfter(START.plus(length));
        end = end.plus(SLIDE)) {
      Instant start = end.minus(WINDOW);
      Instant windowEnd = end;
      List<Detection> inWindow =
          messages.stream()
              .filter(
                  d ->
                      !WindowContents.eventTime(d.getMessage()).isBefore(start)
                          && WindowContents.eventTime(d.getMessage()).isBefore(windowEnd))
              .toList();
      WindowContents contents = WindowContents.collect(start, end, SLIDE.toMillis(), inWindow);
      rows.add(WindowAnalysis.analyse(contents, reference, null, settings, "ON_TIME", 0).summary());
    }
    return rows;
  }

  @Test
  void steadyNormalTrafficDriftsInNoWindowOfADay() {
    Duration day = Duration.ofHours(24);
    List<WindowSummary> rows = windows(stream(day, null, 0), day);
    assertEquals(1431, rows.size());
    List<WindowSummary> drifted = rows.stream().filter(WindowSummary::isDrift).toList();
    // the target is 0.1 false drift windows a day: none expected in one day
    assertTrue(drifted.isEmpty(), drifted.size() + " false drift windows: " + drifted);
    assertTrue(rows.stream().allMatch(row -> row.drift() != null), "every window decided");
  }

  @Test
  void aRiseOfOffTopicMessagesDriftsWithinOneWindowLength() {
    Duration length = Duration.ofHours(2);
    Instant riseAt = START.plus(Duration.ofHours(1));
    List<WindowSummary> rows = windows(stream(length, riseAt, 0.2), length);
    List<WindowSummary> before =
        rows.stream().filter(row -> !row.windowEnd().isAfter(riseAt)).toList();
    assertTrue(before.stream().noneMatch(WindowSummary::isDrift), "no drift before the rise");
    WindowSummary first =
        rows.stream()
            .filter(row -> row.windowEnd().isAfter(riseAt) && row.isDrift())
            .findFirst()
            .orElse(null);
    assertNotNull(first, "no window drifted after the rise");
    Duration delay = Duration.between(riseAt, first.windowEnd());
    assertTrue(delay.compareTo(WINDOW) <= 0, "first drift window ends " + delay + " after it");
    // once the rise fills whole windows, every one of them drifts
    assertTrue(
        rows.stream()
            .filter(row -> !row.windowStart().isBefore(riseAt))
            .allMatch(WindowSummary::isDrift),
        "a window fully inside the rise did not drift");
  }
}
