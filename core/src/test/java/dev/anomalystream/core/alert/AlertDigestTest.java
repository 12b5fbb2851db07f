package dev.anomalystream.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDigestTest {
  static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

  static Detection anomaly(String uid, String text, double score) {
    return Detection.builder()
        .setMessage(InboundMessage.builder().setUid(uid).setText(text).setPublishTime(T0).build())
        .setCluster(-1)
        .setProbability(0.0)
        .setOutlierScore(score)
        .setKnnScore(0.5)
        .setAnomaly(true)
        .setDecision("glosh>0.8000")
        .setThreshold(0.8)
        .setModelVersion("v1")
        .setEmbeddingModel("all-MiniLM-L6-v2")
        .setProcessedTime(T0.plusSeconds(1))
        .build();
  }

  @Test
  void listsAnomaliesHighestScoreFirstWithExactCount() {
    AlertDigest digest =
        AlertDigest.compose(
            List.of(
                anomaly("a", "what is the capital of peru", 0.85),
                anomaly("b", "buy cheap watches", 0.97)),
            T0,
            T0.plusSeconds(60),
            10);
    assertEquals(2, digest.anomalies());
    assertTrue(digest.subject().contains("2 anomalous messages"), digest.subject());
    assertTrue(digest.body().indexOf("uid b") < digest.body().indexOf("uid a"), digest.body());
    assertTrue(digest.body().contains("score 0.9700"), digest.body());
    assertTrue(digest.body().contains("(glosh>0.8000, model v1)"), digest.body());
    assertTrue(digest.body().contains("buy cheap watches"));
  }

  @Test
  void capsTheListingAndShortensLongTexts() {
    List<Detection> many = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(anomaly("u" + i, "word ".repeat(200), i / 100.0));
    }
    AlertDigest digest = AlertDigest.compose(many, T0, T0.plusSeconds(60), 5);
    assertTrue(digest.subject().contains("30 anomalous messages"));
    assertTrue(digest.body().contains("... and 25 more"), digest.body());
    assertFalse(digest.body().contains("uid u0 "), "lowest scores are the ones left out");
    assertTrue(digest.body().lines().allMatch(l -> l.length() < AlertDigest.MAX_TEXT_CHARS + 10));
  }

  @Test
  void singularSubject() {
    assertTrue(
        AlertDigest.compose(List.of(anomaly("a", "x", 0.9)), T0, T0, 5)
            .subject()
            .contains("1 anomalous message between"));
  }

  @Test
  void hourlyCapCountsPerClockHour() {
    EmailRateLimit state = EmailRateLimit.FRESH;
    Instant t = Instant.parse("2026-11-23T09:10:00Z");
    for (int i = 0; i < 3; i++) {
      assertTrue(state.allows(t, 3));
      state = state.afterSending(t);
    }
    assertFalse(state.allows(t.plus(Duration.ofMinutes(49)), 3), "still 09:xx");
    assertTrue(state.allows(Instant.parse("2026-11-23T10:00:00Z"), 3), "a new hour");
    state = state.afterSending(Instant.parse("2026-11-23T10:00:00Z"));
    assertEquals(1, state.sent());
  }

  @Test
  void backoffGrowsGeometrically() {
    Backoff backoff = new Backoff(4, Duration.ofSeconds(1), 2.0);
    assertEquals(Duration.ofSeconds(1), backoff.delayBefore(1));
    assertEquals(Duration.ofSeconds(4), backoff.delayBefore(3));
  }

  static StreamAlert driftAlert() {
    return StreamAlert.drift(
        new WindowSummary(
            T0,
            T0.plusSeconds(600),
            400,
            40,
            new DriftDecision(4.5, 3.0, 0.25, 0.1, true),
            1,
            "v1",
            "ON_TIME",
            0));
  }

  static StreamAlert topicAlert() {
    return StreamAlert.topic(
        new TopicEvent(
            "topic-20261123T0910-1",
            T0.plusSeconds(600),
            T0.plusSeconds(660),
            17,
            List.of("a", "b"),
            List.of("earthquake", "lima"),
            List.of("strong quake felt in lima", "lima earthquake now"),
            "v1",
            true));
  }

  @Test
  void streamAlertsComeFirstAndAreCountedInTheSubject() {
    AlertDigest digest =
        AlertDigest.compose(
            List.of(anomaly("a", "buy cheap watches", 0.9), anomaly("b", "odd words", 0.85)),
            List.of(topicAlert(), driftAlert()),
            T0,
            T0.plusSeconds(60),
            10);
    assertTrue(
        digest
            .subject()
            .startsWith(
                "[anomaly-stream] 1 drifting window, 1 emerging topic, 2 anomalous messages"
                    + " between "),
        digest.subject());
    assertEquals(2, digest.anomalies());
    String body = digest.body();
    int drift = body.indexOf("\nDrift\n");
    int topics = body.indexOf("\nEmerging topics\n");
    int anomalies = body.indexOf("\nAnomalous messages\n");
    int first = body.indexOf("1. uid a");
    assertTrue(drift > 0, body);
    assertTrue(drift < topics && topics < anomalies && anomalies < first, body);
    assertTrue(body.indexOf("window 2026-11-23T09:00:00Z to 2026-11-23T09:10:00Z drifted") > drift);
    assertTrue(body.indexOf("new topic topic-20261123T0910-1: 17 messages") > topics, body);
    assertTrue(body.contains("    e.g. strong quake felt in lima\n"), body);
  }

  @Test
  void onlyStreamAlertsMakeNoAnomalyCount() {
    AlertDigest digest =
        AlertDigest.compose(List.of(), List.of(driftAlert()), T0, T0.plusSeconds(60), 10);
    assertTrue(digest.subject().startsWith("[anomaly-stream] 1 drifting window between "));
    assertFalse(digest.subject().contains("anomalous"), digest.subject());
    assertFalse(digest.body().contains("Anomalous messages"), digest.body());
    assertFalse(digest.body().contains("Emerging topics"), digest.body());
    assertEquals(0, digest.anomalies());

    AlertDigest topics =
        AlertDigest.compose(
            List.of(), List.of(topicAlert(), topicAlert()), T0, T0.plusSeconds(60), 10);
    assertTrue(topics.subject().startsWith("[anomaly-stream] 2 emerging topics between "));
    assertFalse(topics.body().contains("\nDrift\n"), topics.body());
  }

  @Test
  void withoutStreamAlertsTheDigestIsAsBefore() {
    List<Detection> detections = List.of(anomaly("a", "x", 0.9), anomaly("b", "y", 0.95));
    AlertDigest old = AlertDigest.compose(detections, T0, T0.plusSeconds(60), 10);
    assertEquals(old, AlertDigest.compose(detections, List.of(), T0, T0.plusSeconds(60), 10));
    assertTrue(old.subject().startsWith("[anomaly-stream] 2 anomalous messages between "));
    assertFalse(old.body().contains("Anomalous messages"), "no heading without other sections");
    assertTrue(old.body().startsWith("2 anomalous messages between "), old.body());
    AlertDigest none = AlertDigest.compose(List.of(), T0, T0.plusSeconds(60), 10);
    assertTrue(none.subject().contains("0 anomalous messages"), none.subject());
  }
}
