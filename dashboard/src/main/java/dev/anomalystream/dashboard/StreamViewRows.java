package dev.anomalystream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns one line of the stream view's {@code windows/} ({@link WindowSummary}) or {@code topics/}
 * ({@link TopicEvent}) into what the page needs, like {@link DashboardRows} does for detections: a
 * window keeps its counts and drift decision, a topic its id, size, window ends, terms and at most
 * {@link #EXAMPLES} examples (never its uids).
 */
final class StreamViewRows {
  /** Examples of a topic the page lists. */
  static final int EXAMPLES = 3;

  /** Longer examples are cut: the page shows a glimpse of a topic, not whole documents. */
  static final int EXAMPLE_CHARS = 500;

  private StreamViewRows() {}

  /**
   * A window row for the page; {@code key} names the window (start and end), {@code pane} its
   * firing: of the rows of one window, the highest pane is the window's current state.
   */
  record PageWindow(String key, long pane, String json) {}

  /**
   * A topic row for the page; of the rows of one {@code topicId}, the one with the latest {@code
   * lastWindowEnd}, then the largest {@code size}, is the topic's current state.
   */
  record PageTopic(String topicId, Instant lastWindowEnd, long size, String json) {
    /** Whether this row says more than {@code other}, a row of the same topic. */
    boolean supersedes(PageTopic other) {
      int byTime = lastWindowEnd.compareTo(other.lastWindowEnd);
      return byTime > 0 || (byTime == 0 && size >= other.size);
    }
  }

  /**
   * @throws IllegalArgumentException when the line is not a JSON object with the window's start and
   *     end as instants and its message count
   */
  static PageWindow toPageWindow(String line) {
    JsonNode row = DashboardRows.jsonObject(line);
    Instant start = instant(row, WindowSummary.WINDOW_START);
    Instant end = instant(row, WindowSummary.WINDOW_END);
    if (!row.path(WindowSummary.MESSAGES).isIntegralNumber()) {
      throw new IllegalArgumentException("no integer field " + WindowSummary.MESSAGES);
    }
    ObjectNode page = Json.MAPPER.createObjectNode();
    page.put(WindowSummary.WINDOW_START, start.toString());
    page.put(WindowSummary.WINDOW_END, end.toString());
    for (String field :
        new String[] {
          WindowSummary.MESSAGES,
          WindowSummary.ANOMALIES,
          WindowSummary.DRIFT_SCORE,
          WindowSummary.DRIFT_THRESHOLD,
          WindowSummary.DRIFT_EFFECT,
          WindowSummary.DRIFT_MIN_EFFECT,
          WindowSummary.TOPICS,
          WindowSummary.PANE_INDEX
        }) {
      JsonNode value = row.get(field);
      if (value != null && value.isNumber()) {
        page.set(field, value);
      }
    }
    JsonNode drift = row.get(WindowSummary.IS_DRIFT);
    if (drift != null && drift.isBoolean()) {
      page.set(WindowSummary.IS_DRIFT, drift);
    }
    copyText(row, page, WindowSummary.MODEL_VERSION);
    copyText(row, page, WindowSummary.PANE_TIMING);
    return new PageWindow(
        start + "/" + end, row.path(WindowSummary.PANE_INDEX).asLong(0), page.toString());
  }

  /**
   * @throws IllegalArgumentException when the line is not a JSON object with a text topic id, its
   *     last window end as an instant and an integer size
   */
  static PageTopic toPageTopic(String line) {
    JsonNode row = DashboardRows.jsonObject(line);
    if (!row.path(TopicEvent.TOPIC_ID).isTextual()) {
      throw new IllegalArgumentException("no text field " + TopicEvent.TOPIC_ID);
    }
    String topicId = row.get(TopicEvent.TOPIC_ID).asText();
    Instant last = instant(row, TopicEvent.LAST_WINDOW_END);
    if (!row.path(TopicEvent.SIZE).isIntegralNumber()) {
      throw new IllegalArgumentException("no integer field " + TopicEvent.SIZE);
    }
    long size = row.get(TopicEvent.SIZE).asLong();
    ObjectNode page = Json.MAPPER.createObjectNode();
    page.put(TopicEvent.TOPIC_ID, topicId);
    copyText(row, page, TopicEvent.FIRST_WINDOW_END);
    page.put(TopicEvent.LAST_WINDOW_END, last.toString());
    page.put(TopicEvent.SIZE, size);
    page.set(TopicEvent.TERMS, texts(row.get(TopicEvent.TERMS), Integer.MAX_VALUE));
    page.set(TopicEvent.EXAMPLES, texts(row.get(TopicEvent.EXAMPLES), EXAMPLES));
    copyText(row, page, TopicEvent.MODEL_VERSION);
    return new PageTopic(topicId, last, size, page.toString());
  }

  private static Instant instant(JsonNode row, String field) {
    JsonNode value = row.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no text field " + field);
    }
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not an ISO instant: " + value.asText(), e);
    }
  }

  private static void copyText(JsonNode row, ObjectNode page, String field) {
    JsonNode value = row.get(field);
    if (value != null && value.isTextual()) {
      page.set(field, value);
    }
  }

  /** The first {@code limit} texts of an array (anything else in it skipped), each cut short. */
  private static ArrayNode texts(JsonNode array, int limit) {
    ArrayNode texts = Json.MAPPER.createArrayNode();
    if (array == null || !array.isArray()) {
      return texts;
    }
    for (JsonNode item : array) {
      if (texts.size() == limit) {
        break;
      }
      if (item.isTextual()) {
        String text = item.asText();
        texts.add(text.length() > EXAMPLE_CHARS ? text.substring(0, EXAMPLE_CHARS) + "…" : text);
      }
    }
    return texts;
  }
}
