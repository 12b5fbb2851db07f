package dev.anomalystream.core.stream;

import static dev.anomalystream.core.stream.StreamFixtures.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopicTrackerTest {
  private static final Duration LENGTH = Duration.ofMinutes(10);
  private static final Instant END = Instant.parse("2026-11-23T09:10:00Z");

  private static Instant end(int minutesLater) {
    return END.plus(Duration.ofMinutes(minutesLater));
  }

  /** A candidate of the uids {@code prefix + from} to {@code prefix + (to - 1)}. */
  private static TopicCandidate candidate(String prefix, int from, int to, float[] centroid) {
    List<String> uids =
        IntStream.range(from, to).mapToObj(i -> String.format("%s%05d", prefix, i)).toList();
    return new TopicCandidate(
        uids, centroid, List.of(prefix + " example"), List.of(prefix + "-term"));
  }

  private static List<TopicEvent> observe(
      TopicTracker tracker, int minutesLater, TopicCandidate... candidates) {
    return tracker.observe(end(minutesLater), LENGTH, List.of(candidates), "v1");
  }

  @Test
  void overlappingWindowsGrowOneTopic() {
    TopicTracker tracker = new TopicTracker();
    float[] direction = unit(8, 0);
    List<TopicEvent> first = observe(tracker, 0, candidate("a", 0, 10, direction));
    assertEquals(1, first.size());
    TopicEvent created = first.get(0);
    assertTrue(created.isNew());
    assertEquals(10, created.size());
    assertEquals(END, created.firstWindowEnd());
    assertEquals(END, created.lastWindowEnd());
    assertEquals("v1", created.modelVersion());
    assertEquals(List.of("a example"), created.examples());
    assertEquals(List.of("a-term"), created.terms());
    assertTrue(created.topicId().startsWith("topic-20261123T0910-"), created.topicId());

    List<TopicEvent> second = observe(tracker, 1, candidate("a", 0, 15, direction));
    assertEquals(1, second.size());
    TopicEvent grown = second.get(0);
    assertEquals(created.topicId(), grown.topicId());
    assertFalse(grown.isNew());
    assertEquals(15, grown.size());
    assertEquals(15, grown.uids().size());
    assertEquals(END, grown.firstWindowEnd());
    assertEquals(end(1), grown.lastWindowEnd());

    assertTrue(
        observe(tracker, 2, candidate("a", 0, 15, direction)).isEmpty(),
        "a window that adds nothing new says nothing");

    // the burst moves on: older messages leave the window, newer ones arrive
    List<TopicEvent> fourth = observe(tracker, 3, candidate("a", 5, 20, direction));
    assertEquals(1, fourth.size());
    assertEquals(created.topicId(), fourth.get(0).topicId());
    assertEquals(20, fourth.get(0).size());
    assertEquals(end(3), fourth.get(0).lastWindowEnd());
    assertEquals(1, tracker.liveTopics());
  }

  @Test
  void aTopicIsAdoptedOnceItPersistedLongEnoughWithEnoughMessages() {
    TopicTracker tracker = new TopicTracker(new TopicTracker.Adoption(Duration.ofMinutes(5), 12));
    float[] direction = unit(8, 0);
    TopicEvent first = observe(tracker, 0, candidate("a", 0, 10, direction)).get(0);
    assertFalse(first.adopted());
    // persisted 5 minutes but holds 11 messages: not yet
    TopicEvent grown = observe(tracker, 5, candidate("a", 0, 11, direction)).get(0);
    assertFalse(grown.adopted());
    TopicEvent adopted = observe(tracker, 6, candidate("a", 0, 12, direction)).get(0);
    assertTrue(adopted.adopted());
    assertTrue(adopted.adoptedNow());
    assertEquals(Boolean.TRUE, adopted.toRow().get(TopicEvent.ADOPTED));
    TopicEvent later = observe(tracker, 7, candidate("a", 0, 14, direction)).get(0);
    assertTrue(later.adopted());
    assertFalse(later.adoptedNow(), "adopted once");
  }

  @Test
  void aTrackerWithoutAdoptionAdoptsNothing() {
    TopicTracker tracker = new TopicTracker();
    float[] direction = unit(8, 0);
    observe(tracker, 0, candidate("a", 0, 10, direction));
    TopicEvent event = observe(tracker, 30, candidate("a", 0, 500, direction)).get(0);
    assertFalse(event.adopted());
    assertEquals(Boolean.FALSE, event.toRow().get(TopicEvent.ADOPTED));
  }

  @Test
  void aDifferentTopicGetsItsOwnId() {
    TopicTracker tracker = new TopicTracker();
    TopicEvent a = observe(tracker, 0, candidate("a", 0, 10, unit(8, 0))).get(0);
    List<TopicEvent> events =
        observe(tracker, 1, candidate("a", 0, 12, unit(8, 0)), candidate("b", 0, 6, unit(8, 1)));
    assertEquals(2, events.size());
    assertEquals(a.topicId(), events.get(0).topicId());
    TopicEvent b = events.get(1);
    assertNotEquals(a.topicId(), b.topicId());
    assertTrue(b.isNew());
    assertEquals(6, b.size());
    assertEquals(end(1), b.firstWindowEnd());
    assertEquals(2, tracker.liveTopics());
  }

  @Test
  void newMessagesPointingTheSameWayContinueALiveTopic() {
    TopicTracker tracker = new TopicTracker();
    TopicEvent a = observe(tracker, 0, candidate("a", 0, 10, unit(8, 0))).get(0);
    float[] close = StreamFixtures.normalised(new float[] {1f, 0.3f, 0, 0, 0, 0, 0, 0});
    TopicEvent later = observe(tracker, 6, candidate("z", 0, 8, close)).get(0);
    assertEquals(a.topicId(), later.topicId());
    assertFalse(later.isNew());
    assertEquals(18, later.size());
  }

  @Test
  void aTopicUnseenForAWindowLengthIsClosedAndComesBackAsANewOne() {
    TopicTracker tracker = new TopicTracker();
    TopicEvent a = observe(tracker, 0, candidate("a", 0, 10, unit(8, 0))).get(0);
    // exactly a window length later it is still live
    TopicEvent still = observe(tracker, 10, candidate("b", 0, 5, unit(8, 0))).get(0);
    assertEquals(a.topicId(), still.topicId());
    assertEquals(15, still.size());
    // unseen for longer than a window length: closed
    List<TopicEvent> events = observe(tracker, 21, candidate("c", 0, 7, unit(8, 0)));
    assertEquals(1, events.size());
    TopicEvent again = events.get(0);
    assertNotEquals(a.topicId(), again.topicId());
    assertTrue(again.isNew());
    assertEquals(7, again.size());
    assertEquals(end(21), again.firstWindowEnd());
    assertEquals(1, tracker.liveTopics());
  }

  @Test
  void anEmptyWindowClosesNothingEarly() {
    TopicTracker tracker = new TopicTracker();
    observe(tracker, 0, candidate("a", 0, 10, unit(8, 0)));
    assertTrue(observe(tracker, 5).isEmpty());
    assertEquals(1, tracker.liveTopics());
    assertTrue(observe(tracker, 11).isEmpty());
    assertEquals(0, tracker.liveTopics());
  }

  @Test
  void uidsAreCappedWhileTheSizeKeepsCounting() {
    TopicTracker tracker = new TopicTracker();
    int many = TopicTracker.MAX_UIDS + 500;
    TopicEvent first = observe(tracker, 0, candidate("a", 0, many, unit(8, 0))).get(0);
    assertEquals(many, first.size());
    assertEquals(TopicTracker.MAX_UIDS, first.uids().size());
    assertEquals(
        TopicTracker.MAX_UIDS,
        first.toRow().get(TopicEvent.UIDS) instanceof List<?> l ? l.size() : -1);

    // the next, overlapping window sees the same messages and 10 more
    List<TopicEvent> second = observe(tracker, 1, candidate("a", 0, many + 10, unit(8, 0)));
    assertEquals(1, second.size());
    assertEquals(first.topicId(), second.get(0).topicId());
    assertEquals(many + 10, second.get(0).size(), "messages seen before are not counted again");
    assertEquals(TopicTracker.MAX_UIDS, second.get(0).uids().size());

    assertTrue(
        observe(tracker, 2, candidate("a", 0, many + 10, unit(8, 0))).isEmpty(),
        "nothing new past the cap either");
    // even when the overlap is only of messages past the cap and the direction changed
    float[] elsewhere = unit(8, 5);
    List<TopicEvent> fourth =
        observe(tracker, 3, candidate("a", TopicTracker.MAX_UIDS, many + 20, elsewhere));
    assertEquals(1, fourth.size());
    assertEquals(first.topicId(), fourth.get(0).topicId());
    assertEquals(many + 20, fourth.get(0).size());
  }

  @Test
  void oneTopicTakesOneCandidateAWindow() {
    TopicTracker tracker = new TopicTracker();
    observe(tracker, 0, candidate("a", 0, 10, unit(8, 0)));
    List<TopicEvent> events =
        observe(tracker, 1, candidate("a", 0, 10, unit(8, 0)), candidate("a", 5, 12, unit(8, 0)));
    // the first continues the topic (nothing new), the second cannot take it too
    assertEquals(1, events.size());
    assertTrue(events.get(0).isNew());
  }

  @Test
  void survivesSerialisation() throws Exception {
    TopicTracker tracker = new TopicTracker();
    TopicEvent a = observe(tracker, 0, candidate("a", 0, 10, unit(8, 0))).get(0);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(tracker);
    }
    TopicTracker copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TopicTracker) in.readObject();
    }
    List<TopicEvent> events = observe(copy, 1, candidate("a", 0, 11, unit(8, 0)));
    assertEquals(a.topicId(), events.get(0).topicId());
    assertEquals(11, events.get(0).size());
    List<TopicEvent> next = new ArrayList<>(observe(copy, 2, candidate("q", 0, 5, unit(8, 3))));
    assertTrue(next.get(0).topicId().endsWith("-2"), next.get(0).topicId());
  }
}
