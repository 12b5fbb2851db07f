package dev.anomalystream.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAlertTest {
  private static final Instant END = Instant.parse("2026-11-23T09:10:00Z");

  private static TopicEvent topic(boolean isNew, List<String> terms, List<String> examples) {
    return new TopicEvent(
        "topic-20261123T0910-3",
        END,
        END.plusSeconds(120),
        23,
        List.of("u1", "u2"),
        terms,
        examples,
        "v2",
        isNew);
  }

  @Test
  void aTopicAlertListsTermsExamplesSizeAndWindows() {
    StreamAlert alert =
        StreamAlert.topic(
            topic(
                true,
                List.of("earthquake", "lima", "tremor"),
                List.of("quake in lima", "lima   shaking\nnow", "x".repeat(400))));
    assertEquals(StreamAlert.Kind.TOPIC, alert.kind());
    assertEquals("new topic topic-20261123T0910-3: 23 messages", alert.headline());
    assertEquals("terms: earthquake, lima, tremor", alert.details().get(0));
    assertEquals("e.g. quake in lima", alert.details().get(1));
    assertEquals("e.g. lima shaking now", alert.details().get(2), "on one line");
    assertTrue(alert.details().get(3).length() < AlertDigest.MAX_TEXT_CHARS + 10, "shortened");
    assertEquals(
        "first seen in the window ending 2026-11-23T09:10:00Z, latest in the window ending"
            + " 2026-11-23T09:12:00Z",
        alert.details().get(4));
  }

  @Test
  void aGrowingTopicWithoutTermsSaysSo() {
    StreamAlert alert = StreamAlert.topic(topic(false, List.of(), List.of("one")));
    assertTrue(alert.headline().startsWith("growing topic "), alert.headline());
    assertFalse(alert.details().stream().anyMatch(line -> line.startsWith("terms")));
    assertEquals(List.of("e.g. one"), alert.details().subList(0, 1));
  }

  @Test
  void aDriftAlertGivesTheDecisionAndTheCounts() {
    WindowSummary window =
        new WindowSummary(
            END.minusSeconds(600),
            END,
            400,
            50,
            new DriftDecision(4.567, 3.0, 0.2512, 0.1, true),
            2,
            "v2",
            "ON_TIME",
            0);
    StreamAlert alert = StreamAlert.drift(window);
    assertEquals(StreamAlert.Kind.DRIFT, alert.kind());
    assertEquals(
        "window 2026-11-23T09:00:00Z to 2026-11-23T09:10:00Z drifted: score 4.57 (threshold"
            + " 3.00), effect 0.251",
        alert.headline());
    assertEquals(List.of("400 messages, 50 flagged (12.5%), model v2"), alert.details());
  }

  @Test
  void anAdoptedTopicAlertsOnceWhenAdoptedAndNoMoreAsItGrows() {
    TopicEvent growing = topic(false, List.of("film"), List.of());
    assertTrue(StreamAlert.alerts(growing), "not adopted: every event alerts");
    TopicEvent adoptedNow =
        new TopicEvent(
            "t",
            END,
            END.plusSeconds(60),
            30,
            List.of("u1"),
            List.of(),
            List.of(),
            "v2",
            false,
            true,
            true);
    TopicEvent adoptedLater =
        new TopicEvent(
            "t",
            END,
            END.plusSeconds(120),
            40,
            List.of("u1"),
            List.of(),
            List.of(),
            "v2",
            false,
            true,
            false);
    assertTrue(StreamAlert.alerts(adoptedNow));
    assertTrue(
        StreamAlert.topic(adoptedNow).headline().startsWith("learned as normal from now on"),
        StreamAlert.topic(adoptedNow).headline());
    assertFalse(StreamAlert.alerts(adoptedLater));
  }
}
