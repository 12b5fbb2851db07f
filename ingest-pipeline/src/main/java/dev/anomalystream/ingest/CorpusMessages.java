package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.CorpusRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;

/**
 * The wire form of a corpus message: data = the UTF-8 text; attributes {@code <uid attribute>},
 * {@code label} (when known), {@code split} and {@code event_time} (ISO-8601, when the message
 * entered the stream).
 */
public final class CorpusMessages {
  public static final String LABEL = "label";
  public static final String SPLIT = "split";
  public static final String EVENT_TIME = "event_time";

  private CorpusMessages() {}

  public static PubsubMessage toMessage(
      CorpusRecord record, String uidAttribute, Instant eventTime) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put(uidAttribute, record.uid());
    if (record.label() != null) {
      attributes.put(LABEL, record.label().label());
    }
    attributes.put(SPLIT, record.split());
    attributes.put(EVENT_TIME, eventTime.toString());
    return new PubsubMessage(record.text().getBytes(StandardCharsets.UTF_8), attributes);
  }

  /**
   * The same message, its event time set to {@code eventTime} (a paced replay stamps send time).
   */
  public static PubsubMessage withEventTime(PubsubMessage message, Instant eventTime) {
    Map<String, String> attributes = new HashMap<>(message.getAttributeMap());
    attributes.put(EVENT_TIME, eventTime.toString());
    return new PubsubMessage(message.getPayload(), attributes);
  }
}
