package dev.anomalystream.core.alert;

import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the stream view has to say in a digest: a window that drifted, or a topic that emerged or
 * grew. Drift and topics get their own sections, above the single anomalies.
 *
 * @param kind which section it belongs to
 * @param headline one line
 * @param details the lines under it
 */
public record StreamAlert(Kind kind, String headline, List<String> details)
    implements Serializable {
  /** A digest section. */
  public enum Kind {
    DRIFT,
    TOPIC
  }

  public StreamAlert {
    details = List.copyOf(details);
  }

  public static StreamAlert drift(WindowSummary window) {
    return new StreamAlert(
        Kind.DRIFT,
        String.format(
            Locale.ROOT,
            "window %s to %s drifted: score %.2f (threshold %.2f), effect %.3f",
            window.windowStart(),
            window.windowEnd(),
            window.drift().score(),
            window.drift().threshold(),
            window.drift().effect()),
        List.of(
            String.format(
                Locale.ROOT,
                "%d messages, %d flagged (%.1f%%), model %s",
                window.messages(),
                window.anomalies(),
                window.messages() == 0 ? 0.0 : 100.0 * window.anomalies() / window.messages(),
                window.modelVersion())));
  }

  /**
   * Whether a topic event is worth an alert: every one until the topic is adopted by online
   * learning, then only the event that adopted it (its growth is the new normal).
   */
  public static boolean alerts(TopicEvent topic) {
    return !topic.adopted() || topic.adoptedNow();
  }

  public static StreamAlert topic(TopicEvent topic) {
    List<String> details = new ArrayList<>();
    if (!topic.terms().isEmpty()) {
      details.add("terms: " + String.join(", ", topic.terms()));
    }
    topic.examples().forEach(example -> details.add("e.g. " + AlertDigest.shorten(example)));
    details.add(
        "first seen in the window ending "
            + topic.firstWindowEnd()
            + ", latest in the window ending "
            + topic.lastWindowEnd());
    return new StreamAlert(
        Kind.TOPIC,
        String.format(
            Locale.ROOT,
            "%s topic %s: %d messages",
            topic.adoptedNow()
                ? "learned as normal from now on,"
                : topic.isNew() ? "new" : "growing",
            topic.topicId(),
            topic.size()),
        details);
  }
}
