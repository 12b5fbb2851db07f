package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.CorpusRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The wire form of a corpus message: data = the UTF-8 text; attributes {@code <uid attribute>},
 * {@code label} (when known), {@code split}, {@code event_time} (ISO-8601, when the message entered
 * the stream) and the group attribute ({@link MessageGroup}) when there is one; the fixed
 * attributes win over a group attribute of the same name. On Kafka ({@link #toKafkaRecord}) the uid
 * is the record key, the text its value, the other attributes headers, and the event time the
 * record timestamp.
 */
public final class CorpusMessages {
  public static final String LABEL = "label";
  public static final String SPLIT = "split";
  public static final String EVENT_TIME = "event_time";

  private CorpusMessages() {}

  public static PubsubMessage toMessage(
      CorpusRecord record, String uidAttribute, Instant eventTime) {
    return toMessage(record, uidAttribute, eventTime, MessageGroup.NONE);
  }

  /** As above, with the group attribute when the record has a group. */
  public static PubsubMessage toMessage(
      CorpusRecord record, String uidAttribute, Instant eventTime, MessageGroup group) {
    Map<String, String> attributes = new HashMap<>();
    String groupValue = group.valueFor(record);
    if (groupValue != null) {
      attributes.put(group.attribute(), groupValue);
    }
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

  /**
   * The Kafka record of a message: key = the {@code uidAttribute} value, value = the UTF-8 text,
   * one UTF-8 header per other attribute ({@code label}, {@code split}, {@code event_time}, in name
   * order), timestamp = {@code event_time} when it is there and parses, else null (the producer's
   * clock).
   */
  public static ProducerRecord<String, String> toKafkaRecord(
      PubsubMessage message, String topic, String uidAttribute) {
    Map<String, String> attributes = new TreeMap<>(message.getAttributeMap());
    String key = attributes.remove(uidAttribute);
    List<Header> headers = new ArrayList<>();
    attributes.forEach(
        (name, value) ->
            headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
    return new ProducerRecord<>(
        topic,
        null,
        eventTimeMillis(attributes.get(EVENT_TIME)),
        key,
        new String(message.getPayload(), StandardCharsets.UTF_8),
        headers);
  }

  private static Long eventTimeMillis(String eventTime) {
    if (eventTime == null) {
      return null;
    }
    try {
      return Instant.parse(eventTime).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
