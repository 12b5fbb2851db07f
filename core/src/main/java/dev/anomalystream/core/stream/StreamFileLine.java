package dev.anomalystream.core.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a stream file for scripts/evaluate-stream: a JSON object with {@code uid}, {@code
 * text}, {@code event_time} (ISO-8601) and an optional {@code label}. It becomes the payload and
 * attributes a message on the bus would carry, so the detector's own decoding checks it.
 *
 * @param text the payload
 * @param attributes uid, event_time and label as message attributes
 * @param eventTime when it happened: the element time of the batch run
 */
public record StreamFileLine(String text, Map<String, String> attributes, Instant eventTime) {
  /**
   * Parses a line.
   *
   * @param uidAttribute the attribute the decoder reads the uid from
   * @throws IllegalArgumentException saying what is wrong with the line
   */
  public static StreamFileLine parse(String line, String uidAttribute) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a JSON object: " + e.getOriginalMessage().replaceAll("\\s+", " "));
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String text = textField(node, "text");
    String eventTimeValue = textField(node, MessageDecoder.EVENT_TIME_ATTRIBUTE);
    Instant eventTime = MessageDecoder.parseEventTime(eventTimeValue);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(uidAttribute, textField(node, "uid"));
    attributes.put(MessageDecoder.EVENT_TIME_ATTRIBUTE, eventTimeValue);
    JsonNode label = node.get(MessageDecoder.LABEL_ATTRIBUTE);
    if (label != null && !label.isNull()) {
      attributes.put(MessageDecoder.LABEL_ATTRIBUTE, label.asText());
    }
    return new StreamFileLine(text, attributes, eventTime);
  }

  private static String textField(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("no '" + field + "' field");
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is not a string");
    }
    return value.asText();
  }
}
