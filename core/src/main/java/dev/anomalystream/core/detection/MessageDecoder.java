package dev.anomalystream.core.detection;

import dev.anomalystream.core.model.GroupNames;
import dev.anomalystream.core.text.StrictUtf8;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The detector's decode rules, as plain code: a Pub/Sub payload and its attributes become an {@link
 * InboundMessage}, or a reason why not. Text is the payload decoded strictly as UTF-8; the uid
 * comes from the uid attribute, falling back to the Pub/Sub message id.
 *
 * <p>With a group attribute, its value is the message's group. A value that cannot name a group
 * ({@link GroupNames#problem}: empty, over {@value GroupNames#MAX_CHARS} characters, not UTF-8)
 * never refuses the message: it is scored by the global model, its group left null, and {@link
 * Decoded#groupProblem()} says why so the caller can count it. Pub/Sub attributes are always text;
 * a Kafka header that is not UTF-8 arrives as the marker attribute {@value
 * #GROUP_NOT_UTF8_ATTRIBUTE} instead (see the detector's {@code KafkaRecordMessages}).
 */
public final class MessageDecoder implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DEFAULT_UID_ATTRIBUTE = "uid";
  public static final String LABEL_ATTRIBUTE = "label";
  public static final String EVENT_TIME_ATTRIBUTE = "event_time";

  /** Set (to the header's name) when the group header's bytes were not UTF-8. */
  public static final String GROUP_NOT_UTF8_ATTRIBUTE = "group_not_utf8";

  /**
   * Either a message or the reason it was refused; {@code uidFromMessageId} when the message had no
   * uid attribute and its Pub/Sub message id stands in (a republished copy then gets a new uid).
   */
  public record Decoded(
      InboundMessage message, String failureReason, boolean uidFromMessageId, String groupProblem) {
    public boolean ok() {
      return message != null;
    }
  }

  private final String uidAttribute;
  private final int maxChars;
  private final String groupAttribute;

  public MessageDecoder(String uidAttribute, int maxChars) {
    this(uidAttribute, maxChars, null);
  }

  private MessageDecoder(String uidAttribute, int maxChars, String groupAttribute) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1, was " + maxChars);
    }
    this.uidAttribute = uidAttribute;
    this.maxChars = maxChars;
    this.groupAttribute = groupAttribute;
  }

  /** A decoder that also reads each message's group from {@code attribute} (null: no groups). */
  public MessageDecoder withGroupAttribute(String attribute) {
    return new MessageDecoder(uidAttribute, maxChars, attribute);
  }

  /** The attribute the uid is read from. */
  public String uidAttribute() {
    return uidAttribute;
  }

  public Decoded decode(
      byte[] payload, Map<String, String> attributes, String messageId, Instant publishTime) {
    Map<String, String> attrs = attributes == null ? Map.of() : attributes;
    if (payload == null || payload.length == 0) {
      return refused("empty payload");
    }
    String decoded = StrictUtf8.decodeOrNull(payload);
    if (decoded == null) {
      return refused("payload is not valid UTF-8");
    }
    String text = decoded.strip();
    if (text.isEmpty()) {
      return refused("empty text");
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxChars) {
      return refused("text has " + length + " characters, more than the maximum of " + maxChars);
    }
    String uid = attrs.get(uidAttribute);
    boolean uidFromMessageId = uid == null || uid.isBlank();
    if (uidFromMessageId) {
      uid = messageId;
    }
    if (uid == null || uid.isBlank()) {
      return refused("no '" + uidAttribute + "' attribute and no Pub/Sub message id");
    }
    Instant eventTime = null;
    String eventTimeValue = attrs.get(EVENT_TIME_ATTRIBUTE);
    if (eventTimeValue != null) {
      try {
        eventTime = parseEventTime(eventTimeValue);
      } catch (IllegalArgumentException e) {
        return refused(e.getMessage());
      }
    }
    String group = groupAttribute == null ? null : attrs.get(groupAttribute);
    String groupProblem =
        groupAttribute != null && attrs.containsKey(GROUP_NOT_UTF8_ATTRIBUTE)
            ? "group is not valid UTF-8"
            : GroupNames.problem(group);
    return new Decoded(
        InboundMessage.builder()
            .setUid(uid)
            .setText(text)
            .setLabel(attrs.get(LABEL_ATTRIBUTE))
            .setEventTime(eventTime)
            .setPublishTime(publishTime == null ? Instant.now() : publishTime)
            .setGroup(groupProblem == null ? group : null)
            .build(),
        null,
        uidFromMessageId,
        groupProblem);
  }

  private static Decoded refused(String reason) {
    return new Decoded(null, reason, false, null);
  }

  /**
   * An {@code event_time} value: an ISO-8601 instant.
   *
   * @throws IllegalArgumentException saying the value is not one
   */
  public static Instant parseEventTime(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("event_time '" + value + "' is not an ISO-8601 instant");
    }
  }
}
