package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventHubTest {

  private static List<Long> sequences(List<RowEvent> events) {
    return events.stream().map(RowEvent::sequence).toList();
  }

  private static void publish(EventHub hub, int count) {
    for (int i = 1; i <= count; i++) {
      hub.publishLine(TestRows.line("u-" + i, "text " + i, i % 5 == 0, i / 10.0));
    }
  }

  @Test
  void aNewBrowserGetsTheRecentRowsThenTheNewOnes() throws Exception {
    EventHub hub = new EventHub("e1", 3, 10);
    publish(hub, 5);
    EventHub.Subscription subscription = hub.subscribe(null);
    assertEquals(List.of(3L, 4L, 5L), sequences(subscription.replay()));
    hub.publishLine(TestRows.line("u-6", "six", false, 0.1));
    assertEquals(List.of(6L), sequences(subscription.queue().takeAll(1_000)));
  }

  @Test
  void lastEventIdResumesAfterThatEvent() {
    EventHub hub = new EventHub("e1", 10, 10);
    publish(hub, 6);
    EventHub.Subscription subscription = hub.subscribe("e1-4");
    assertEquals(List.of(5L, 6L), sequences(subscription.replay()));
    assertEquals("e1-5", hub.eventId(subscription.replay().get(0)));
  }

  @Test
  void anIdOfAnotherEpochGetsEveryRecentRow() {
    EventHub hub = new EventHub("e2", 10, 10);
    publish(hub, 3);
    assertEquals(List.of(1L, 2L, 3L), sequences(hub.subscribe("e1-40").replay()));
    assertEquals(List.of(1L, 2L, 3L), sequences(hub.subscribe("garbage").replay()));
  }

  @Test
  void aSlowBrowserLosesItsOldestEventsAndTheyAreCounted() throws Exception {
    EventHub hub = new EventHub("e1", 100, 4);
    EventHub.Subscription slow = hub.subscribe(null);
    EventHub.Subscription fast = hub.subscribe(null);
    List<Long> fastGot = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      hub.publishLine(TestRows.line("u-" + i, "text " + i, false, 0.1));
      fastGot.addAll(sequences(fast.queue().takeAll(1_000)));
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), fastGot);
    assertEquals(List.of(7L, 8L, 9L, 10L), sequences(slow.queue().takeAll(1_000)));
    assertEquals(6, slow.queue().dropped());
    assertEquals(0, fast.queue().dropped());
    assertEquals(6, hub.dropped());
    assertTrue(hub.statsJson(slow.queue()).contains("\"dropped_here\":6"));
    assertEquals(10, hub.rows());
  }

  @Test
  void malformedRowsAreCountedAndSkipped() throws Exception {
    EventHub hub = new EventHub("e1", 10, 10);
    EventHub.Subscription subscription = hub.subscribe(null);
    hub.publishLine("{not json");
    hub.publishLine("{\"uid\":\"u\"}");
    hub.publishLine(TestRows.line("u-1", "fine", true, 0.9));
    assertEquals(2, hub.malformed());
    assertEquals(1, hub.rows());
    assertEquals(List.of(1L), sequences(subscription.queue().takeAll(1_000)));
    assertEquals(
        "{\"rows\":1,\"anomalies\":1,\"malformed\":2,\"dropped\":0,\"dropped_here\":0,"
            + "\"clients\":1,\"windows\":0,\"topics\":0}",
        hub.statsJson(subscription.queue()));
  }

  @Test
  void closingWakesWaitingBrowsersAndUnsubscribedOnesGetNothing() throws Exception {
    EventHub hub = new EventHub("e1", 10, 10);
    EventHub.Subscription subscription = hub.subscribe(null);
    hub.unsubscribe(subscription.queue());
    publish(hub, 2);
    assertEquals(List.of(), subscription.queue().takeAll(10));
    EventHub.Subscription waiting = hub.subscribe(null);
    long start = System.nanoTime();
    new Thread(hub::close).start();
    waiting.queue().takeAll(30_000);
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "close did not wake the browser");
    assertTrue(waiting.queue().isClosed());
  }

  private static List<String> types(List<RowEvent> events) {
    return events.stream().map(RowEvent::type).toList();
  }

  @Test
  void streamViewRowsShareTheSequenceAndOutliveTheRowRing() throws Exception {
    EventHub hub = new EventHub("e1", 2, 10);
    EventHub.Subscription live = hub.subscribe(null);
    hub.publishWindowLine(TestRows.window("2026-11-30T07:20:00Z", 1.0, 0));
    hub.publishTopicLine(TestRows.topic("t-1", "2026-11-30T07:20:00Z", 5, "x"));
    publish(hub, 3);
    assertEquals(
        List.of("window", "topic", "row", "row", "row"), types(live.queue().takeAll(1_000)));
    // the row ring holds 2 rows, yet a new browser gets the window and the topic too, in order
    List<RowEvent> replay = hub.subscribe(null).replay();
    assertEquals(List.of(1L, 2L, 4L, 5L), sequences(replay));
    assertEquals(List.of("window", "topic", "row", "row"), types(replay));
    assertEquals(List.of(5L), sequences(hub.subscribe("e1-4").replay()));
    assertTrue(hub.statsJson(live.queue()).endsWith("\"windows\":1,\"topics\":1}"));
  }

  @Test
  void aWindowsLaterPaneReplacesItAndAnEarlierOneIsNotSent() throws Exception {
    EventHub hub = new EventHub("e1", 10, 10);
    hub.publishWindowLine(TestRows.window("2026-11-30T07:20:00Z", 1.0, 0));
    hub.publishWindowLine(TestRows.window("2026-11-30T07:21:00Z", 1.0, 0));
    EventHub.Subscription live = hub.subscribe(null);
    hub.publishWindowLine(TestRows.window("2026-11-30T07:20:00Z", 4.0, 1));
    hub.publishWindowLine(TestRows.window("2026-11-30T07:20:00Z", 1.0, 0));
    assertEquals(List.of(3L), sequences(live.queue().takeAll(1_000)));
    assertEquals(List.of(2L, 3L), sequences(hub.subscribe(null).replay()));
    assertEquals(4, hub.windowRows());
  }

  @Test
  void aTopicIsKeptOnceInItsLatestState() throws Exception {
    EventHub hub = new EventHub("e1", 10, 10);
    hub.publishTopicLine(TestRows.topic("t-1", "2026-11-30T07:20:00Z", 5, "a"));
    hub.publishTopicLine(TestRows.topic("t-2", "2026-11-30T07:20:00Z", 5, "b"));
    hub.publishTopicLine(TestRows.topic("t-1", "2026-11-30T07:21:00Z", 8, "a"));
    hub.publishTopicLine(TestRows.topic("t-1", "2026-11-30T07:20:00Z", 6, "a")); // older: ignored
    List<RowEvent> replay = hub.subscribe(null).replay();
    assertEquals(List.of(2L, 3L), sequences(replay));
    assertTrue(replay.get(1).json().contains("\"size\":8"), replay.get(1).json());
    assertEquals(2, hub.topicCount());
  }

  @Test
  void malformedStreamViewRowsAreCountedAndSkipped() {
    EventHub hub = new EventHub("e1", 10, 10);
    hub.publishWindowLine("{\"window_end\":3}");
    hub.publishTopicLine(TestRows.line("u-1", "a detection in topics/", false, 0.1));
    assertEquals(2, hub.malformed());
    assertEquals(List.of(), hub.subscribe(null).replay());
  }

  @Test
  void helloSaysWhetherTheStreamViewIsFollowed() {
    EventHub hub = new EventHub("e1", 10, 10);
    assertEquals("{\"epoch\":\"e1\",\"stream_view\":false}", hub.helloJson());
    hub.streamViewFollowed();
    assertEquals("{\"epoch\":\"e1\",\"stream_view\":true}", hub.helloJson());
  }
}
