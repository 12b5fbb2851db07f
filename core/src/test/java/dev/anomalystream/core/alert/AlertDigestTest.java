package dev.anomalystream.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
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
}
