package dev.anomalystream.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.EmotionLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scenario streams, built from made-up texts. */
class ScenarioBuilderTest {
  private static final Instant START = Instant.parse("2026-11-30T00:00:00Z");
  private static final Instant CHANGE = START.plus(Duration.ofMinutes(90));
  private static final List<String> QUESTIONS =
      IntStream.range(0, 50).mapToObj(i -> "what is question " + i).toList();
  private static final List<String> REVIEWS =
      IntStream.range(0, 80).mapToObj(i -> "a review sentence " + i).toList();
  private static final ScenarioBuilder.NewNormal NEW_NORMAL =
      new ScenarioBuilder.NewNormal(Duration.ofHours(6), Duration.ofHours(1), 0.3, 0.01);
  private static final List<String> HOW_MANY =
      IntStream.range(0, 30).mapToObj(i -> "how many things " + i).toList();

  static ScenarioBuilder.Texts texts() {
    List<CorpusRecord> normal = new ArrayList<>();
    for (EmotionLabel label : EmotionLabel.values()) {
      for (int i = 0; i < 10; i++) {
        normal.add(
            new CorpusRecord(
                "made-up",
                normal.size() + 1,
                "validation",
                "i feel " + label.label() + " " + i,
                label));
      }
    }
    // an unlabelled record must never reach a stream: it has no class to write
    normal.add(new CorpusRecord("made-up", 99, "validation", "no label here", null));
    return new ScenarioBuilder.Texts(
        normal,
        List.of(QUESTIONS, REVIEWS),
        HOW_MANY,
        new ScenarioBuilder.Source("reviews.txt", REVIEWS),
        new ScenarioBuilder.Source("questions.txt", QUESTIONS));
  }

  static ScenarioBuilder.Settings settings() {
    return settings(10);
  }

  static ScenarioBuilder.Settings settings(double messagesPerMinute) {
    return new ScenarioBuilder.Settings(
        START,
        messagesPerMinute,
        Duration.ofHours(24),
        Duration.ofHours(3),
        Duration.ofMinutes(90),
        25,
        Duration.ofMinutes(5),
        0.2,
        EnumSet.of(EmotionLabel.SADNESS, EmotionLabel.ANGER),
        NEW_NORMAL);
  }

  private static ScenarioBuilder builder(long seed) {
    return new ScenarioBuilder(texts(), settings(), seed);
  }

  @Test
  void theSameSeedBuildsTheSameStreamsAndAnotherSeedOthers() {
    List<Scenario> first = builder(7).all();
    assertEquals(first, builder(7).all());
    List<Scenario> other = builder(8).all();
    for (int i = 0; i < first.size(); i++) {
      assertNotEquals(first.get(i).messages(), other.get(i).messages(), first.get(i).name());
    }
  }

  @Test
  void normalTrafficArrivesAtTheRateForADay() {
    Scenario scenario = builder(1).normal24h();
    List<StreamMessage> messages = scenario.messages();
    // 14,400 expected; a Poisson count's standard deviation is its square root, 120
    assertTrue(Math.abs(messages.size() - 14_400) < 600, "messages " + messages.size());
    assertWellFormed(scenario);
    assertEquals(null, scenario.change());
    assertTrue(messages.stream().noneMatch(StreamMessage::offTopic));
    assertEquals(
        EnumSet.allOf(EmotionLabel.class).stream()
            .map(EmotionLabel::label)
            .collect(Collectors.toSet()),
        labels(messages));
    assertTrue(messages.stream().noneMatch(m -> m.text().equals("no label here")));
  }

  @Test
  void theBurstIsItsSizeOfOneKindWithinItsFiveMinutes() {
    Scenario scenario = builder(2).burst();
    assertWellFormed(scenario);
    assertEquals(CHANGE, scenario.change());
    assertEquals(25, scenario.burstUids().size());
    assertEquals(
        "3 h of normal traffic at 10.0 messages/minute; 25 off-topic texts of one kind within 5 min"
            + " from 1 h 30 min on",
        scenario.description());
    List<StreamMessage> burst =
        scenario.messages().stream().filter(m -> scenario.burstUids().contains(m.uid())).toList();
    assertEquals(25, burst.size());
    for (StreamMessage message : burst) {
      assertTrue(message.offTopic(), message.uid());
      assertTrue(HOW_MANY.contains(message.text()), message.text());
      assertTrue(!message.eventTime().isBefore(CHANGE), message.eventTime().toString());
      assertTrue(message.eventTime().isBefore(CHANGE.plus(Duration.ofMinutes(5))), message.uid());
    }
    assertEquals(25, burst.stream().map(StreamMessage::text).distinct().count());
    assertEquals(25, scenario.messages().stream().filter(StreamMessage::offTopic).count());
    long normal = scenario.messages().size() - 25;
    // 1,800 expected over 3 h, standard deviation about 42
    assertTrue(Math.abs(normal - 1_800) < 210, "normal messages " + normal);
  }

  @Test
  void theRiseMakesAFifthOfTheTrafficOffTopicFromTheChangeOn() {
    Scenario scenario = builder(3).rise();
    assertWellFormed(scenario);
    List<StreamMessage> before =
        scenario.messages().stream().filter(m -> m.eventTime().isBefore(CHANGE)).toList();
    List<StreamMessage> after =
        scenario.messages().stream().filter(m -> !m.eventTime().isBefore(CHANGE)).toList();
    assertTrue(before.stream().noneMatch(StreamMessage::offTopic));
    List<StreamMessage> offTopic = after.stream().filter(StreamMessage::offTopic).toList();
    double share = (double) offTopic.size() / after.size();
    // about 900 messages after the change: the share's standard deviation is about 0.013
    assertTrue(Math.abs(share - 0.2) < 0.06, "off-topic share " + share);
    assertTrue(offTopic.stream().anyMatch(m -> QUESTIONS.contains(m.text())), "no question");
    assertTrue(offTopic.stream().anyMatch(m -> REVIEWS.contains(m.text())), "no review");
    // the total rate is unchanged: off-topic messages replace normal ones
    assertTrue(Math.abs(after.size() - 900) < 150, "messages after the change " + after.size());
    assertTrue(scenario.burstUids().isEmpty());
  }

  @Test
  void theMixShiftKeepsOnlyTwoClassesAfterTheChangeAtTheSameRate() {
    Scenario scenario = builder(4).mixShift();
    assertWellFormed(scenario);
    List<StreamMessage> before =
        scenario.messages().stream().filter(m -> m.eventTime().isBefore(CHANGE)).toList();
    List<StreamMessage> after =
        scenario.messages().stream().filter(m -> !m.eventTime().isBefore(CHANGE)).toList();
    assertEquals(6, labels(before).size());
    assertEquals(Set.of("sadness", "anger"), labels(after));
    assertTrue(scenario.messages().stream().noneMatch(StreamMessage::offTopic));
    assertTrue(Math.abs(after.size() - 900) < 150, "messages after the change " + after.size());
  }

  @Test
  void settingsThatCannotHoldTheScenariosAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ScenarioBuilder.Settings(
                START,
                10,
                Duration.ofHours(24),
                Duration.ofHours(3),
                Duration.ofMinutes(178),
                25,
                Duration.ofMinutes(5),
                0.2,
                EnumSet.of(EmotionLabel.SADNESS),
                NEW_NORMAL));
    ScenarioBuilder.Texts texts = texts();
    ScenarioBuilder tooFew =
        new ScenarioBuilder(
            new ScenarioBuilder.Texts(
                texts.normal(),
                List.of(QUESTIONS),
                HOW_MANY.subList(0, 24),
                texts.newSubject(),
                texts.singles()),
            settings(),
            1);
    assertThrows(IllegalArgumentException.class, tooFew::burst);
    // the new subject must start inside the stream, and the shares cannot exceed the traffic
    assertThrows(
        IllegalArgumentException.class,
        () -> new ScenarioBuilder.NewNormal(Duration.ofHours(6), Duration.ofHours(6), 0.3, 0.01));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ScenarioBuilder.NewNormal(Duration.ofHours(6), Duration.ofHours(1), 0.995, 0.01));
    ScenarioBuilder noSubject =
        new ScenarioBuilder(
            new ScenarioBuilder.Texts(
                texts.normal(),
                List.of(QUESTIONS),
                HOW_MANY,
                new ScenarioBuilder.Source("empty.txt", List.of()),
                texts.singles()),
            settings(),
            1);
    assertThrows(IllegalArgumentException.class, noSubject::newNormal);
  }

  @Test
  void theNewSubjectIsThirtyPercentFromTheHourOnAndQuestionsComeSinglyThroughout() {
    // 60 a minute for 6 h: about 21,600 messages, enough to hold the shares to a few tenths of %
    Scenario scenario = new ScenarioBuilder(texts(), settings(60), 9).newNormal();
    assertWellFormed(scenario);
    Instant change = START.plus(Duration.ofHours(1));
    assertEquals(change, scenario.change());
    assertEquals(START.plus(Duration.ofHours(6)), scenario.end());
    assertEquals(
        "6 h of traffic at 60.0 messages/minute; from 1 h on, 30 % of it a new subject"
            + " (new-subject) that stays; 1.0 % single off-topic messages (off-topic) throughout",
        scenario.description());
    assertEquals(
        Map.of("new-subject", "reviews.txt", "off-topic", "questions.txt"), scenario.sources());
    List<StreamMessage> messages = scenario.messages();
    List<StreamMessage> before =
        messages.stream().filter(m -> m.eventTime().isBefore(change)).toList();
    List<StreamMessage> after =
        messages.stream().filter(m -> !m.eventTime().isBefore(change)).toList();
    assertTrue(before.stream().noneMatch(m -> m.label().equals(StreamMessage.NEW_SUBJECT)));
    List<StreamMessage> subject =
        after.stream().filter(m -> m.label().equals(StreamMessage.NEW_SUBJECT)).toList();
    double subjectShare = (double) subject.size() / after.size();
    // about 18,000 messages after the change: the share's standard deviation is about 0.0034
    assertTrue(Math.abs(subjectShare - 0.3) < 0.015, "new-subject share " + subjectShare);
    assertTrue(subject.stream().allMatch(m -> REVIEWS.contains(m.text())));
    assertTrue(Math.abs(messages.size() - 21_600) < 600, "messages " + messages.size());

    // questions in every hour, before the change as after: about 36 an hour, sd 6
    for (int hour = 0; hour < 6; hour++) {
      Instant from = START.plus(Duration.ofHours(hour));
      List<StreamMessage> inHour =
          messages.stream()
              .filter(
                  m ->
                      !m.eventTime().isBefore(from)
                          && m.eventTime().isBefore(from.plusSeconds(3600)))
              .toList();
      double share =
          inHour.stream().filter(StreamMessage::offTopic).count() / (double) inHour.size();
      assertTrue(Math.abs(share - 0.01) < 0.0066, "question share in hour " + hour + ": " + share);
    }
    for (int i = 1; i < messages.size(); i++) {
      assertTrue(
          !(messages.get(i - 1).offTopic() && messages.get(i).offTopic()),
          "two questions in a row at " + i);
    }
    assertTrue(
        messages.stream()
            .filter(StreamMessage::offTopic)
            .allMatch(m -> QUESTIONS.contains(m.text())));
    // the rest is the labelled normal traffic, every class of it
    assertEquals(
        EnumSet.allOf(EmotionLabel.class).stream()
            .map(EmotionLabel::label)
            .collect(Collectors.toSet()),
        labels(
            messages.stream()
                .filter(m -> !m.offTopic() && !m.label().equals(StreamMessage.NEW_SUBJECT))
                .toList()));
  }

  /** Sorted by event time, inside the stream's span, every uid once. */
  private static void assertWellFormed(Scenario scenario) {
    List<StreamMessage> messages = scenario.messages();
    for (int i = 1; i < messages.size(); i++) {
      assertTrue(
          !messages.get(i).eventTime().isBefore(messages.get(i - 1).eventTime()),
          scenario.name() + " unsorted at " + i);
    }
    assertTrue(!messages.get(0).eventTime().isBefore(scenario.start()));
    assertTrue(messages.get(messages.size() - 1).eventTime().isBefore(scenario.end()));
    Set<String> uids = new HashSet<>();
    messages.forEach(m -> assertTrue(uids.add(m.uid()), "uid twice: " + m.uid()));
  }

  private static Set<String> labels(List<StreamMessage> messages) {
    return messages.stream().map(StreamMessage::label).collect(Collectors.toSet());
  }
}
