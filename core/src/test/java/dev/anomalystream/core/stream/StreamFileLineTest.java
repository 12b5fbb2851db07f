package dev.anomalystream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.detection.MessageDecoder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamFileLineTest {
  private static String reason(String line) {
    return assertThrows(IllegalArgumentException.class, () -> StreamFileLine.parse(line, "uid"))
        .getMessage();
  }

  @Test
  void parsesAGoodLine() {
    StreamFileLine line =
        StreamFileLine.parse(
            "{\"uid\": \"m1\", \"text\": \"hello there\", \"event_time\":"
                + " \"2026-11-23T09:00:00.250Z\"}",
            "uid");
    assertEquals("hello there", line.text());
    assertEquals(Instant.parse("2026-11-23T09:00:00.250Z"), line.eventTime());
    assertEquals(
        Map.of("uid", "m1", MessageDecoder.EVENT_TIME_ATTRIBUTE, "2026-11-23T09:00:00.250Z"),
        line.attributes());
    assertFalse(line.attributes().containsKey(MessageDecoder.LABEL_ATTRIBUTE));
  }

  @Test
  void theUidGoesToTheDecodersAttribute() {
    StreamFileLine line =
        StreamFileLine.parse(
            "{\"uid\": \"m1\", \"text\": \"t\", \"event_time\": \"2026-11-23T09:00:00Z\"}",
            "message_uid");
    assertEquals("m1", line.attributes().get("message_uid"));
    assertFalse(line.attributes().containsKey("uid"));
  }

  @Test
  void keepsTheLabel() {
    StreamFileLine line =
        StreamFileLine.parse(
            "{\"uid\": \"m1\", \"text\": \"t\", \"event_time\": \"2026-11-23T09:00:00Z\","
                + " \"label\": \"spam\"}",
            "uid");
    assertEquals("spam", line.attributes().get(MessageDecoder.LABEL_ATTRIBUTE));
    StreamFileLine nullLabel =
        StreamFileLine.parse(
            "{\"uid\": \"m1\", \"text\": \"t\", \"event_time\": \"2026-11-23T09:00:00Z\","
                + " \"label\": null}",
            "uid");
    assertFalse(nullLabel.attributes().containsKey(MessageDecoder.LABEL_ATTRIBUTE));
  }

  @Test
  void missingFieldsAreNamed() {
    assertEquals(
        "no 'uid' field", reason("{\"text\": \"t\", \"event_time\": \"2026-11-23T09:00:00Z\"}"));
    assertEquals(
        "no 'text' field", reason("{\"uid\": \"m\", \"event_time\": \"2026-11-23T09:00:00Z\"}"));
    assertEquals("no 'event_time' field", reason("{\"uid\": \"m\", \"text\": \"t\"}"));
    assertEquals(
        "no 'text' field",
        reason("{\"uid\": \"m\", \"text\": null, \"event_time\": \"2026-11-23T09:00:00Z\"}"));
  }

  @Test
  void fieldsThatAreNotStringsAreRefused() {
    assertEquals(
        "'uid' is not a string",
        reason("{\"uid\": 7, \"text\": \"t\", \"event_time\": \"2026-11-23T09:00:00Z\"}"));
    assertEquals(
        "'text' is not a string",
        reason("{\"uid\": \"m\", \"text\": [\"t\"], \"event_time\": \"2026-11-23T09:00:00Z\"}"));
    assertEquals(
        "'event_time' is not a string",
        reason("{\"uid\": \"m\", \"text\": \"t\", \"event_time\": 1795000000000}"));
  }

  @Test
  void aBadTimestampIsQuoted() {
    String reason = reason("{\"uid\": \"m\", \"text\": \"t\", \"event_time\": \"yesterday\"}");
    assertTrue(reason.contains("'yesterday'") && reason.contains("ISO-8601"), reason);
    assertTrue(
        reason("{\"uid\": \"m\", \"text\": \"t\", \"event_time\": \"2026-11-23 09:00\"}")
            .contains("not an ISO-8601 instant"));
  }

  @Test
  void notJsonIsRefused() {
    assertTrue(reason("uid,text,event_time").startsWith("not a JSON object"));
    assertTrue(reason("{\"uid\": \"m\",").startsWith("not a JSON object"));
    assertEquals("not a JSON object", reason("[1, 2]"));
    assertEquals("not a JSON object", reason("\"just a string\""));
    assertTrue(reason("").startsWith("not a JSON object"));
    assertFalse(reason("{\"uid\": \n\"m\",").contains("\n"), "one line");
  }
}
