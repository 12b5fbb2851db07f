package dev.anomalystream.core.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {
  private static final Instant PUBLISHED = Instant.parse("2026-11-23T09:00:00.123Z");
  private final MessageDecoder decoder = new MessageDecoder("uid", 20);

  private MessageDecoder.Decoded decode(
      byte[] payload, Map<String, String> attributes, String messageId) {
    return decoder.decode(payload, attributes, messageId, PUBLISHED);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesTextUidLabelAndTimes() {
    MessageDecoder.Decoded d =
        decode(
            utf8("  i feel fine \n"),
            Map.of("uid", "train-000001-abc", "label", "joy", "event_time", "2026-11-23T08:59:59Z"),
            "42");
    assertTrue(d.ok());
    InboundMessage m = d.message();
    assertEquals("i feel fine", m.getText());
    assertEquals("train-000001-abc", m.getUid());
    assertEquals("joy", m.getLabel());
    assertEquals(Instant.parse("2026-11-23T08:59:59Z"), m.getEventTime());
    assertEquals(PUBLISHED, m.getPublishTime());
  }

  @Test
  void fallsBackToTheMessageIdAndToleratesMissingOptionalAttributes() {
    MessageDecoder.Decoded d = decode(utf8("hello"), Map.of(), "msg-7");
    assertEquals("msg-7", d.message().getUid());
    assertNull(d.message().getLabel());
    assertNull(d.message().getEventTime());
  }

  @Test
  void refusesBadMessagesWithReasons() {
    assertEquals("empty payload", decode(new byte[0], Map.of("uid", "a"), "1").failureReason());
    assertEquals("empty text", decode(utf8(" \t\n"), Map.of("uid", "a"), "1").failureReason());
    assertEquals(
        "payload is not valid UTF-8",
        decode(new byte[] {(byte) 0xC3, 0x28}, Map.of("uid", "a"), "1").failureReason());
    assertEquals(
        "text has 21 characters, more than the maximum of 20",
        decode(utf8("x".repeat(21)), Map.of("uid", "a"), "1").failureReason());
    assertEquals(
        "no 'uid' attribute and no Pub/Sub message id",
        decode(utf8("hello"), Map.of(), null).failureReason());
    MessageDecoder.Decoded badTime = decode(utf8("hello"), Map.of("event_time", "yesterday"), "1");
    assertFalse(badTime.ok());
    assertEquals("event_time 'yesterday' is not an ISO-8601 instant", badTime.failureReason());
  }

  @Test
  void readsTheGroupAttributeAndRoutesInvalidValuesToTheGlobalModelWithAReason() {
    MessageDecoder grouped = decoder.withGroupAttribute("channel");
    MessageDecoder.Decoded ok =
        grouped.decode(utf8("hi"), Map.of("uid", "a", "channel", "sport"), "1", PUBLISHED);
    assertEquals("sport", ok.message().getGroup());
    assertNull(ok.groupProblem());

    MessageDecoder.Decoded none = grouped.decode(utf8("hi"), Map.of("uid", "a"), "1", PUBLISHED);
    assertNull(none.message().getGroup());
    assertNull(none.groupProblem(), "a message without the attribute is not an invalid one");

    for (String bad : new String[] {"", "x".repeat(129), "\uDC00"}) {
      MessageDecoder.Decoded d =
          grouped.decode(utf8("hi"), Map.of("uid", "a", "channel", bad), "1", PUBLISHED);
      assertTrue(d.ok(), "an invalid group never refuses the message");
      assertNull(d.message().getGroup());
      assertTrue(d.groupProblem() != null, "'" + bad + "' is counted");
    }
    MessageDecoder.Decoded notUtf8 =
        grouped.decode(
            utf8("hi"),
            Map.of("uid", "a", MessageDecoder.GROUP_NOT_UTF8_ATTRIBUTE, "channel"),
            "1",
            PUBLISHED);
    assertNull(notUtf8.message().getGroup());
    assertEquals("group is not valid UTF-8", notUtf8.groupProblem());

    MessageDecoder.Decoded ignored =
        decoder.decode(utf8("hi"), Map.of("uid", "a", "channel", "sport"), "1", PUBLISHED);
    assertNull(ignored.message().getGroup(), "without --groupAttribute there are no groups");
  }
}
