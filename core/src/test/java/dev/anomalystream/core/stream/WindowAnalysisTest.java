package dev.anomalystream.core.stream;

import static dev.anomalystream.core.stream.StreamFixtures.MIDDLE;
import static dev.anomalystream.core.stream.StreamFixtures.SLIDE;
import static dev.anomalystream.core.stream.StreamFixtures.START;
import static dev.anomalystream.core.stream.StreamFixtures.WINDOW;
import static dev.anomalystream.core.stream.StreamFixtures.detection;
import static dev.anomalystream.core.stream.StreamFixtures.near;
import static dev.anomalystream.core.stream.StreamFixtures.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.detection.Detection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WindowAnalysisTest {
  private static final Instant END = START.plus(WINDOW);
  private static final WindowAnalysis.Settings SETTINGS =
      new WindowAnalysis.Settings(WINDOW, SLIDE, 5);

  private static WindowContents collect(List<Detection> detections) {
    return WindowContents.collect(START, END, SLIDE.toMillis(), detections);
  }

  private static WindowAnalysis.Result analyse(List<Detection> detections) {
    return WindowAnalysis.analyse(collect(detections), null, null, SETTINGS, "ON_TIME", 0);
  }

  private static Map<String, Double> scoresByUid(WindowAnalysis.Result result) {
    return result.scores().stream().collect(Collectors.toMap(WindowScore::uid, WindowScore::score));
  }

  @Test
  void countsEveryMessageAndScoresOnlyThoseTheWindowIsCentredOn() {
    Random random = new Random(1);
    List<Detection> detections = new ArrayList<>();
    // centred on this window: [start + 4.5 min, start + 5.5 min)
    Instant[] times = {
      START,
      START.plusSeconds(269),
      START.plusSeconds(270),
      MIDDLE,
      START.plusSeconds(329),
      START.plusSeconds(330),
      END.minusMillis(1)
    };
    for (int i = 0; i < times.length; i++) {
      detections.add(detection("m" + i, times[i], i % 2 == 0, near(unit(16, i % 3), 0.05, random)));
    }
    WindowContents contents = collect(detections);
    assertEquals(7, contents.messages());
    assertEquals(4, contents.anomalyCount());
    assertEquals(0, contents.withoutEmbedding());
    assertEquals(4, contents.anomalies().size());
    assertEquals(7, contents.sample().size());
    assertEquals(List.of("m2", "m3", "m4"), contents.centred().stream().map(c -> c.uid()).toList());

    WindowAnalysis.Result result = analyse(detections);
    WindowSummary summary = result.summary();
    assertEquals(START, summary.windowStart());
    assertEquals(END, summary.windowEnd());
    assertEquals(7, summary.messages());
    assertEquals(4, summary.anomalies());
    assertNull(summary.drift());
    assertEquals("ON_TIME", summary.paneTiming());
    assertEquals("v1", summary.modelVersion());
    assertEquals(Set.of("m2", "m3", "m4"), scoresByUid(result).keySet());
    for (WindowScore score : result.scores()) {
      assertEquals(START, score.windowStart());
      assertEquals(END, score.windowEnd());
      assertTrue(Double.isFinite(score.score()) && score.score() >= 0, score.toString());
      assertEquals(WindowAnalysis.clustersFor(7), score.clusters());
    }
  }

  @Test
  void theEventTimeNotThePublishTimePlacesAMessage() {
    // published in the middle of the window but it happened at its start
    Detection detection =
        detection("late", START, false, unit(4, 0)).toBuilder()
            .setMessage(
                detection("late", START, false, unit(4, 0)).getMessage().toBuilder()
                    .setPublishTime(MIDDLE)
                    .build())
            .build();
    assertTrue(collect(List.of(detection)).centred().isEmpty());
  }

  @Test
  void anOffTopicMessageScoresHigherThanTheNormalOnes() {
    Random random = new Random(2);
    List<Detection> detections = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      detections.add(
          detection("n" + i, MIDDLE.plusMillis(i), false, near(unit(16, i % 3), 0.03, random)));
    }
    float[] offTopic = near(unit(16, 9), 0.03, random);
    detections.add(detection("odd", MIDDLE, true, offTopic));
    WindowAnalysis.Result result = analyse(detections);
    Map<String, Double> scores = scoresByUid(result);
    assertEquals(46, scores.size());
    double odd = scores.get("odd");
    double highestNormal =
        scores.entrySet().stream()
            .filter(e -> !e.getKey().equals("odd"))
            .mapToDouble(Map.Entry::getValue)
            .max()
            .orElseThrow();
    assertTrue(odd > highestNormal, "off-topic " + odd + ", highest normal " + highestNormal);
    assertTrue(odd > 0.5, "an orthogonal direction is far from every blob: " + odd);
  }

  @Test
  void twoOffTopicMessagesAlsoScoreHigherThanTheNormalOnes() {
    Random random = new Random(3);
    List<Detection> detections = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      detections.add(detection("n" + i, MIDDLE, false, near(unit(16, i % 3), 0.03, random)));
    }
    detections.add(detection("odd1", MIDDLE, true, near(unit(16, 9), 0.03, random)));
    detections.add(detection("odd2", MIDDLE, true, near(unit(16, 12), 0.03, random)));
    Map<String, Double> scores = scoresByUid(analyse(detections));
    double highestNormal =
        scores.entrySet().stream()
            .filter(e -> e.getKey().startsWith("n"))
            .mapToDouble(Map.Entry::getValue)
            .max()
            .orElseThrow();
    assertTrue(scores.get("odd1") > highestNormal, scores.get("odd1") + " " + highestNormal);
    assertTrue(scores.get("odd2") > highestNormal, scores.get("odd2") + " " + highestNormal);
  }

  @Test
  void outliersAmongSentenceLikeEmbeddingsScoreHighest() {
    Random random = new Random(17);
    float[][] normal = SyntheticEmbeddings.groups(random, 4, 50, 384, 0.03);
    float[][] outliers = SyntheticEmbeddings.uniform(random, 5, 384);
    List<Detection> detections = new ArrayList<>();
    for (int i = 0; i < normal.length; i++) {
      detections.add(detection("n" + i, MIDDLE.plusMillis(i), false, normal[i]));
    }
    for (int i = 0; i < outliers.length; i++) {
      detections.add(detection("out" + i, MIDDLE.minusMillis(i), true, outliers[i]));
    }
    Map<String, Double> scores = scoresByUid(analyse(detections));
    assertEquals(205, scores.size());
    double highestNormal =
        scores.entrySet().stream()
            .filter(e -> e.getKey().startsWith("n"))
            .mapToDouble(Map.Entry::getValue)
            .max()
            .orElseThrow();
    for (int i = 0; i < outliers.length; i++) {
      double score = scores.get("out" + i);
      assertTrue(score > highestNormal, "out" + i + ": " + score + " vs " + highestNormal);
    }
  }

  @Test
  void anEmptyWindowIsSummarised() {
    WindowAnalysis.Result result = analyse(List.of());
    assertEquals(0, result.summary().messages());
    assertEquals(0, result.summary().anomalies());
    assertEquals(0, result.summary().topics());
    assertNull(result.summary().modelVersion());
    assertTrue(result.scores().isEmpty());
    assertTrue(result.topics().isEmpty());
    assertTrue(result.summary().toRow().containsKey(WindowSummary.MESSAGES));
  }

  @Test
  void aOneMessageWindowIsSummarisedAndScored() {
    WindowAnalysis.Result result = analyse(List.of(detection("only", MIDDLE, true, unit(8, 3))));
    assertEquals(1, result.summary().messages());
    assertEquals(1, result.summary().anomalies());
    assertEquals(0, result.summary().topics());
    assertEquals(1, result.scores().size());
    assertEquals(0.0, result.scores().get(0).score(), 1e-6);
    assertEquals(1, result.scores().get(0).clusters());
  }

  @Test
  void aWindowOfIdenticalEmbeddingsScoresFinite() {
    // a spam burst: the same text, the same embedding, more messages than k needs
    List<Detection> detections = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      detections.add(detection("same" + i, MIDDLE, true, unit(8, 1)));
    }
    WindowAnalysis.Result result = analyse(detections);
    assertEquals(30, result.scores().size());
    for (WindowScore score : result.scores()) {
      assertEquals(0.0, score.score(), 1e-6, score.toString());
    }
    assertEquals(1, result.topics().size(), "the burst is one topic");
    assertEquals(30, result.topics().get(0).size());
  }

  @Test
  void theModelVersionIsTheMajorityOne() {
    List<Detection> detections = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      detections.add(detection("a" + i, MIDDLE, false, unit(4, 0), i < 2 ? "v1" : "v2"));
    }
    assertEquals("v2", collect(detections).modelVersion());
    assertEquals("v2", analyse(detections).summary().modelVersion());
    List<Detection> older = new ArrayList<>(detections);
    for (int i = 0; i < 4; i++) {
      older.add(detection("b" + i, MIDDLE, false, unit(4, 0), "v1"));
    }
    assertEquals("v1", collect(older).modelVersion());
  }

  @Test
  void messagesWithoutEmbeddingAreCountedButNotScored() {
    List<Detection> detections =
        List.of(
            detection("bare1", MIDDLE, true, null),
            detection("bare2", MIDDLE, false, null),
            detection("vec", MIDDLE, false, unit(4, 2)));
    WindowContents contents = collect(detections);
    assertEquals(3, contents.messages());
    assertEquals(1, contents.anomalyCount());
    assertEquals(2, contents.withoutEmbedding());
    assertTrue(contents.anomalies().isEmpty(), "an anomaly without its vector cannot cluster");
    WindowAnalysis.Result result = analyse(detections);
    assertEquals(3, result.summary().messages());
    assertEquals(1, result.summary().anomalies());
    assertEquals(Set.of("vec"), scoresByUid(result).keySet());

    WindowAnalysis.Result none = analyse(detections.subList(0, 2));
    assertEquals(2, none.summary().messages());
    assertTrue(none.scores().isEmpty());
  }

  @Test
  void countsStayExactBeyondTheSample() {
    List<Detection> detections = new ArrayList<>();
    float[] vector = unit(4, 0);
    int total = WindowContents.MAX_SAMPLE + 500;
    for (int i = 0; i < total; i++) {
      detections.add(detection("x" + i, START.plusMillis(i), i % 10 == 0, vector));
    }
    WindowContents contents = collect(detections);
    assertEquals(total, contents.messages());
    assertEquals((total + 9) / 10, contents.anomalyCount());
    assertEquals(WindowContents.MAX_SAMPLE, contents.sample().size());
  }

  @Test
  void settingsRefuseImpossibleWindows() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new WindowAnalysis.Settings(WINDOW, Duration.ofMinutes(11), 5));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new WindowAnalysis.Settings(Duration.ZERO, SLIDE, 5));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new WindowAnalysis.Settings(WINDOW, SLIDE, 1));
    assertEquals(1, WindowAnalysis.clustersFor(1));
    assertEquals(WindowAnalysis.MAX_CLUSTERS, WindowAnalysis.clustersFor(100_000));
  }
}
