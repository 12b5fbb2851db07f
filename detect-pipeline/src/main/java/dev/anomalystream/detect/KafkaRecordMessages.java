package dev.anomalystream.detect;

import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.text.StrictUtf8;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka record as the bus-neutral envelope {@link DecodeMessages} takes, Beam's {@link
 * PubsubMessage}: payload = the record's value, attributes = its headers decoded as UTF-8 plus the
 * uid attribute from the key, message id {@code kafka:<topic>/<partition>/<offset>}. So the decode
 * rules (empty, not UTF-8, oversized, bad event_time) apply to both buses unchanged.
 *
 * <p>What cannot become such a message is a {@link Failure} of stage {@value #STAGE} with the
 * record's topic, partition and offset as attributes: no key (the uid: Kafka has no message id to
 * fall back on that would survive a redelivery), a key or a header value that is not UTF-8, and a
 * null value (a tombstone, which deletes a key in a compacted topic and carries no text).
 *
 * <p>The group header ({@code --groupAttribute}) is the exception: a group value that is not UTF-8
 * only sends the message to the global model, so the record is converted without it and with the
 * marker attribute {@link MessageDecoder#GROUP_NOT_UTF8_ATTRIBUTE}, which the decoder counts.
 */
public final class KafkaRecordMessages implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String STAGE = "read-kafka";
  public static final String TOPIC_ATTRIBUTE = "kafka_topic";
  public static final String PARTITION_ATTRIBUTE = "kafka_partition";
  public static final String OFFSET_ATTRIBUTE = "kafka_offset";

  /** Either a message or a dead letter. */
  public record Converted(PubsubMessage message, Failure failure) {
    public boolean ok() {
      return message != null;
    }
  }

  private final String uidAttribute;
  private final String groupAttribute;

  public KafkaRecordMessages(String uidAttribute) {
    this(uidAttribute, null);
  }

  /**
   * @param groupAttribute the group header, or null for none
   */
  public KafkaRecordMessages(String uidAttribute, String groupAttribute) {
    this.uidAttribute = uidAttribute;
    this.groupAttribute = groupAttribute;
  }

  /** {@code kafka:<topic>/<partition>/<offset>}: unique in a cluster, and stable on redelivery. */
  public static String messageId(KafkaRecord<?, ?> record) {
    return "kafka:" + record.getTopic() + "/" + record.getPartition() + "/" + record.getOffset();
  }

  public Converted convert(KafkaRecord<byte[], byte[]> record) {
    byte[] key = record.getKV().getKey();
    byte[] value = record.getKV().getValue();
    if (key == null || key.length == 0) {
      return refused(record, "record has no key (the uid)", value);
    }
    String uid = StrictUtf8.decodeOrNull(key);
    if (uid == null) {
      return refused(record, "key (the uid) is not valid UTF-8", value);
    }
    if (value == null) {
      return refused(record, "record has no value (a tombstone)", null);
    }
    Map<String, String> attributes = new HashMap<>();
    for (Header header : record.getHeaders()) {
      // a header without a value carries nothing to decode; a repeated header: the last one wins,
      // as Kafka's Headers.lastHeader reads it
      if (header.value() != null) {
        String text = StrictUtf8.decodeOrNull(header.value());
        if (text == null && header.key().equals(groupAttribute)) {
          attributes.remove(header.key());
          attributes.put(MessageDecoder.GROUP_NOT_UTF8_ATTRIBUTE, header.key());
        } else if (text == null) {
          return refused(record, "header '" + header.key() + "' is not valid UTF-8", value);
        } else {
          attributes.put(header.key(), text);
          if (header.key().equals(groupAttribute)) {
            // the last group header wins, as for any header
            attributes.remove(MessageDecoder.GROUP_NOT_UTF8_ATTRIBUTE);
          }
        }
      }
    }
    // the key is the uid, whatever a header of that name says
    attributes.put(uidAttribute, uid);
    return new Converted(new PubsubMessage(value, attributes, messageId(record)), null);
  }

  private Converted refused(KafkaRecord<byte[], byte[]> record, String reason, byte[] value) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(TOPIC_ATTRIBUTE, record.getTopic());
    attributes.put(PARTITION_ATTRIBUTE, Integer.toString(record.getPartition()));
    attributes.put(OFFSET_ATTRIBUTE, Long.toString(record.getOffset()));
    return new Converted(
        null,
        Failure.builder()
            .setStage(STAGE)
            .setReason(reason)
            .setPayload(value == null ? new byte[0] : value)
            .setAttributes(attributes)
            .setTime(Instant.now())
            .build());
  }
}
