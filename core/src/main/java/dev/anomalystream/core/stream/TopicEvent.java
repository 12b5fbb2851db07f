package dev.anomalystream.core.stream;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic as it stands after a window: created the first time its messages formed a group, then
 * updated (same {@code topicId}, larger {@code size}) while overlapping and following windows keep
 * finding it. The row with the latest {@code last_window_end} of a topic is its current state.
 *
 * @param topicId stable across the windows that find it
 * @param firstWindowEnd the end of the first window that found it
 * @param lastWindowEnd the end of the latest window that found it
 * @param size messages in it so far
 * @param uids its messages (at most {@link TopicTracker#MAX_UIDS})
 * @param terms what sets it apart from the training corpus
 * @param examples texts nearest its centre
 * @param modelVersion the model version that flagged its messages
 * @param isNew true for the event that created it, false for the updates
 * @param adopted whether online learning adopted it: it persisted long enough and grew large enough
 *     to be taken for a new normal subject, and its messages are learned (never with --learn other
 *     than topics)
 * @param adoptedNow true for the event that adopted it
 */
public record TopicEvent(
    String topicId,
    Instant firstWindowEnd,
    Instant lastWindowEnd,
    int size,
    List<String> uids,
    List<String> terms,
    List<String> examples,
    String modelVersion,
    boolean isNew,
    boolean adopted,
    boolean adoptedNow)
    implements Serializable {
  public static final String TOPIC_ID = "topic_id";
  public static final String FIRST_WINDOW_END = "first_window_end";
  public static final String LAST_WINDOW_END = "last_window_end";
  public static final String SIZE = "size";
  public static final String UIDS = "uids";
  public static final String TERMS = "terms";
  public static final String EXAMPLES = "examples";
  public static final String MODEL_VERSION = "model_version";
  public static final String ADOPTED = "adopted";

  /** A topic event where online learning adopts nothing. */
  public TopicEvent(
      String topicId,
      Instant firstWindowEnd,
      Instant lastWindowEnd,
      int size,
      List<String> uids,
      List<String> terms,
      List<String> examples,
      String modelVersion,
      boolean isNew) {
    this(
        topicId,
        firstWindowEnd,
        lastWindowEnd,
        size,
        uids,
        terms,
        examples,
        modelVersion,
        isNew,
        false,
        false);
  }

  public TopicEvent {
    uids = List.copyOf(uids);
    terms = List.copyOf(terms);
    examples = List.copyOf(examples);
  }

  /** As a row of {@code <table>_topics} or a line of {@code topics/}. */
  public Map<String, Object> toRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(TOPIC_ID, topicId);
    row.put(FIRST_WINDOW_END, firstWindowEnd.toString());
    row.put(LAST_WINDOW_END, lastWindowEnd.toString());
    row.put(SIZE, size);
    row.put(UIDS, uids);
    row.put(TERMS, terms);
    row.put(EXAMPLES, examples);
    if (modelVersion != null) {
      row.put(MODEL_VERSION, modelVersion);
    }
    row.put(ADOPTED, adopted);
    return row;
  }
}
