package dev.anomalystream.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a scenario stream file, as {@code scripts/evaluate-stream} reads it: {@code {"uid",
 * "text", "event_time", "label"}}, the event time an ISO-8601 UTC instant.
 *
 * @param label the emotion class of a normal message, {@link #OFF_TOPIC} for an injected one,
 *     {@link #NEW_SUBJECT} for one of the subject the new-normal scenario makes part of the traffic
 */
public record StreamMessage(String uid, String text, Instant eventTime, String label) {
  /** The label of every injected off-topic text: the scorer's ground truth. */
  public static final String OFF_TOPIC = "off-topic";

  /**
   * The label of the new-normal scenario's new subject: off-topic for the trained model, but normal
   * once it is a steady share of the traffic, so kept apart from {@link #OFF_TOPIC}.
   */
  public static final String NEW_SUBJECT = "new-subject";

  public static final String UID = "uid";
  public static final String TEXT = "text";
  public static final String EVENT_TIME = "event_time";
  public static final String LABEL = "label";

  public StreamMessage {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(label, "label");
  }

  public boolean offTopic() {
    return OFF_TOPIC.equals(label);
  }

  /** A line of a stream file, read back; the event time with {@code Z} or an offset. */
  public static StreamMessage of(JsonNode line) {
    return new StreamMessage(
        line.path(UID).asText(),
        line.path(TEXT).asText(),
        StreamScenarioScore.instant(line.get(EVENT_TIME)),
        line.path(LABEL).asText());
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put(UID, uid);
    node.put(TEXT, text);
    node.put(EVENT_TIME, eventTime.toString());
    node.put(LABEL, label);
    return node;
  }
}
