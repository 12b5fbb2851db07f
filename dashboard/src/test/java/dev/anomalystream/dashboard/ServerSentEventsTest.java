package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

  @Test
  void anEventIsItsFieldsAndABlankLine() {
    assertEquals(
        "id: e-7\nevent: row\ndata: {\"a\":1}\n\n",
        ServerSentEvents.event("e-7", "row", "{\"a\":1}"));
  }

  @Test
  void idAndTypeAreLeftOutWhenAbsent() {
    assertEquals("data: {}\n\n", ServerSentEvents.event(null, null, "{}"));
  }

  @Test
  void multiLineDataIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ServerSentEvents.event("1", null, "a\nb"));
  }

  @Test
  void commentAndRetry() {
    assertEquals(": heartbeat\n\n", ServerSentEvents.comment("heartbeat"));
    assertEquals("retry: 2000\n\n", ServerSentEvents.retry(2000));
  }
}
