package dev.anomalystream.bench.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a scenario stream file, as {@code scripts/evaluate-stream} reads it: {@code {"uid",
 * "text", "event_time", "label"}}, the event time an ISO-8601 UTC instant.
 *
 * @param label the emotion class of a normal message, {@link #OFF_TOPIC} for an injected one
 */
public record StreamMessage(String uid, String text, Instant eventTime, String label) {
  /** The label of every injected off-topic text: the scorer's ground truth. */
  public static final String OFF_TOPIC = "off-topic";

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

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put(UID, uid);
    node.put(TEXT, text);
    node.put(EVENT_TIME, eventTime.toString());
    node.put(LABEL, label);
    return node;
  }
}
