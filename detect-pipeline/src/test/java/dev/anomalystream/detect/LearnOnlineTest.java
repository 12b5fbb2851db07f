package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.online.LearningMode;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.options.GroupOptions;
import dev.anomalystream.core.stream.TopicEvent;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * LearnOnline behind the real ScoreMessages, on TestStreams of messages (and version-pointer
 * readings and adopted topics): the memory is bounded by count and by age, a new model version
 * starts it empty, the learning budget holds per window, an adopted topic stops alerting while
 * single off-topic messages keep alerting, and a message it cannot learn from is a dead letter. Two
 * small real models are trained on made-up tweets. A learned message's effect is seen in the kNN
 * score of the same text sent again: lower while the memory holds it, the trained score once it
 * left.
 */
@ExtendWith(TestPipelineExtension.class)
class LearnOnlineTest {
  private static final EmbedderOptions EMBEDDING = EmbedderOptions.of("builtin:all-minilm-l6-v2");
  private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
  private static final Duration SETTLE = Duration.standardSeconds(1);

  @TempDir static Path store;
  private static String v1;
  private static String v2;
  private static List<String> tweets;
  private static ModelLocation location;

  @BeforeAll
  static void trainTwoVersions() throws IOException {
    TwoModelVersions versions =
        TwoModelVersions.publish(
            store, EMBEDDING, java.time.Instant.parse("2026-11-23T08:30:00Z"), 40);
    v1 = versions.first();
    v2 = versions.second();
    tweets = versions.unseen();
    location = ModelLocation.of(store.toString(), TwoModelVersions.MODEL_NAME);
  }

  /** A reading of the version pointer, a message, or an adopted topic, in one ordered stream. */
  record Event(String reading, String uid, String text, float[] embedding, TopicEvent topic)
      implements Serializable {
    InboundMessage message(Instant at) {
      java.time.Instant time = java.time.Instant.ofEpochMilli(at.getMillis());
      return InboundMessage.builder()
          .setUid(uid)
          .setText(text)
          .setPublishTime(time)
          .setEventTime(time)
          .build();
    }
  }

  private static Event reading(String version) {
    return new Event(version, null, null, null, null);
  }

  private static Event message(String uid, String text) {
    SentenceEmbedder embedder = SharedEmbedders.get(EMBEDDING);
    return new Event(null, uid, text, embedder.embed(List.of(text))[0], null);
  }

  private static Event adopted(String topicId, List<String> uids, Instant windowEnd) {
    java.time.Instant end = java.time.Instant.ofEpochMilli(windowEnd.getMillis());
    return new Event(
        null,
        null,
        null,
        null,
        new TopicEvent(
            topicId,
            end.minusSeconds(1800),
            end,
            uids.size(),
            uids,
            List.of(),
            List.of(),
            v1,
            false,
            true,
            true));
  }

  private static LearningOptions options(LearningMode mode, Consumer<LearningOptions> more) {
    LearningOptions options = PipelineOptionsFactory.as(LearningOptions.class);
    options.setLearn(mode);
    more.accept(options);
    return options;
  }

  @Test
  void autoLearnsTopicsWhereTopicsCanBeAdoptedAndTheKnnScoreDecides() throws IOException {
    SentenceEmbedder embedder = SharedEmbedders.get(EMBEDDING);
    StoredModel stored = location.load(location.versionKeyFor(v1));
    AnomalyDetector knnDecides =
        AnomalyDetector.load(
            stored, embedder.modelId(), embedder.dimension(), AnomalyDetector.Overrides.none());
    LearningOptions glosh = options(LearningMode.AUTO, o -> o.setScore(ScoreKind.GLOSH));
    AnomalyDetector gloshDecides =
        AnomalyDetector.load(
            stored, embedder.modelId(), embedder.dimension(), DecisionOptions.overrides(glosh));

    LearningOptions streamView = options(LearningMode.AUTO, o -> {});
    assertEquals(
        LearningMode.TOPICS, LearningOptions.resolveLearning(streamView, knnDecides, true));
    assertEquals(LearningMode.TOPICS, streamView.getLearn(), "the job's options say what runs");
    assertEquals(
        LearningMode.NONE,
        LearningOptions.resolveLearning(options(LearningMode.AUTO, o -> {}), knnDecides, false),
        "without the stream view no topic is adopted");
    assertEquals(LearningMode.NONE, LearningOptions.resolveLearning(glosh, gloshDecides, true));
    LearningOptions groups = options(LearningMode.AUTO, o -> {});
    groups.as(GroupOptions.class).setGroupAttribute("channel");
    assertEquals(
        LearningMode.NONE,
        LearningOptions.resolveLearning(groups, knnDecides, true),
        "the memory is the global model's; group models decide alone");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearningOptions.resolveLearning(
                    options(LearningMode.TOPICS, o -> o.setScore(ScoreKind.GLOSH)),
                    gloshDecides,
                    true));
    assertTrue(refused.getMessage().contains("--learn=topics"), refused.getMessage());
  }

  /** Scores the messages with the version the readings name, then learns online. */
  private static PCollectionTuple learn(
      TestPipeline pipeline,
      TestStream<Event> events,
      LearningOptions options,
      boolean similarities) {
    PCollection<Event> all = pipeline.apply(events);
    var version =
        WatchModelVersion.newestReading(
            all.apply("Readings", Filter.by(e -> e.reading() != null))
                .apply("AsReadings", ParDo.of(new ToReadingFn())));
    ScoreMessages score =
        new ScoreMessages(version, location, EMBEDDING, AnomalyDetector.Overrides.none(), true);
    PCollection<Detection> scored =
        all.apply("Messages", Filter.by(e -> e.uid() != null))
            .apply("AsEmbedded", ParDo.of(new ToEmbeddedFn()))
            .setCoder(EmbeddedBatches.PAIR_CODER)
            .apply(EmbeddedBatches.oneEach())
            .apply("Score", similarities ? score.withKnnSimilarities() : score)
            .get(ScoreMessages.DETECTIONS);
    PCollection<TopicEvent> topics =
        all.apply("Topics", Filter.by(e -> e.topic() != null))
            .apply(
                "AsTopic", MapElements.into(TypeDescriptor.of(TopicEvent.class)).via(Event::topic))
            .setCoder(SerializableCoder.of(TopicEvent.class));
    return scored.apply(
        "LearnOnline",
        LearnOnline.of(options, location, EMBEDDING, AnomalyDetector.Overrides.none(), topics));
  }

  private static final class ToReadingFn extends DoFn<Event, TimestampedValue<String>> {
    @ProcessElement
    public void process(
        @Element Event event, @Timestamp Instant at, OutputReceiver<TimestampedValue<String>> out) {
      out.output(TimestampedValue.of(event.reading(), at));
    }
  }

  /** The message as the embedding stage hands it on, its times the element's timestamp. */
  private static final class ToEmbeddedFn extends DoFn<Event, KV<InboundMessage, float[]>> {
    @ProcessElement
    public void process(
        @Element Event event,
        @Timestamp Instant at,
        OutputReceiver<KV<InboundMessage, float[]>> out) {
      out.output(KV.of(event.message(at), event.embedding()));
    }
  }

  private static TestStream.Builder<Event> stream() {
    return TestStream.create(SerializableCoder.of(Event.class)).advanceWatermarkTo(T0);
  }

  private static TestStream.Builder<Event> at(
      TestStream.Builder<Event> stream, Instant time, Event... events) {
    List<TimestampedValue<Event>> stamped = new ArrayList<>();
    for (Event event : events) {
      stamped.add(TimestampedValue.of(event, time));
    }
    @SuppressWarnings("unchecked")
    TimestampedValue<Event>[] array = stamped.toArray(new TimestampedValue[0]);
    return stream
        .addElements(array[0], java.util.Arrays.copyOfRange(array, 1, array.length))
        .advanceProcessingTime(SETTLE);
  }

  private static Map<String, Detection> byUid(Iterable<Detection> rows) {
    return StreamSupport.stream(rows.spliterator(), false)
        .collect(Collectors.toMap(d -> d.getMessage().getUid(), d -> d));
  }

  @Test
  void theMemoryHoldsItsCountAndForgetsTheOldestFirst(TestPipeline pipeline) {
    // five normal tweets learned into a memory of three: the first two leave
    TestStream.Builder<Event> events = at(stream(), T0, reading(v1));
    for (int i = 0; i < 5; i++) {
      events =
          at(events, T0.plus(Duration.standardMinutes(1 + i)), message("m" + i, tweets.get(i)));
    }
    events =
        at(events, T0.plus(Duration.standardMinutes(10)), message("again-first", tweets.get(0)));
    events =
        at(events, T0.plus(Duration.standardMinutes(11)), message("again-last", tweets.get(4)));
    PCollectionTuple learned =
        learn(
            pipeline,
            events.advanceWatermarkToInfinity(),
            options(
                LearningMode.NORMAL,
                o -> {
                  o.setMemorySize(3);
                  o.setMaxLearnedPerWindow(10);
                }),
            true);

    PAssert.that(learned.get(LearnOnline.DETECTIONS))
        .satisfies(
            rows -> {
              Map<String, Detection> row = byUid(rows);
              for (int i = 0; i < 5; i++) {
                Detection d = row.get("m" + i);
                assertEquals(!d.isAnomaly(), d.getLearned(), d.toString());
                assertNull(d.getKnnSimilarities(), "similarities never leave the stage");
              }
              assertTrue(row.get("m4").getLearned(), "the test needs the last one learned");
              assertEquals(
                  row.get("m0").getKnnScore(),
                  row.get("again-first").getKnnScore(),
                  1e-9,
                  "the first left the memory: the trained score");
              assertTrue(
                  row.get("again-last").getKnnScore() < row.get("m4").getKnnScore() - 1e-3,
                  "the last is still held: the same text scores lower");
              return null;
            });
    PAssert.that(learned.get(LearnOnline.FAILURES)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  void learnedMessagesLeaveOnceOlderThanTheMemoryAgeAndTheBudgetHoldsPerWindow(
      TestPipeline pipeline) {
    TestStream.Builder<Event> events = at(stream(), T0, reading(v1));
    events = at(events, T0.plus(Duration.standardMinutes(1)), message("m0", tweets.get(6)));
    events = at(events, T0.plus(Duration.standardMinutes(30)), message("soon", tweets.get(6)));
    events = at(events, T0.plus(Duration.standardMinutes(150)), message("later", tweets.get(6)));
    PCollectionTuple learned =
        learn(
            pipeline,
            events.advanceWatermarkToInfinity(),
            options(
                LearningMode.ALL,
                o -> {
                  o.setMemoryHours(1);
                  o.setMaxLearnedPerWindow(1);
                  o.setWindowMinutes(60);
                }),
            true);

    // one learned per hour: m0 is learned, 'soon' (same hour) is not; by 'later' m0 has aged out
    PAssert.that(learned.get(LearnOnline.DETECTIONS))
        .satisfies(
            rows -> {
              Map<String, Detection> row = byUid(rows);
              assertTrue(row.get("m0").getLearned());
              assertFalse(row.get("soon").getLearned(), "the hour's budget was spent");
              assertTrue(row.get("soon").getKnnScore() < row.get("m0").getKnnScore() - 1e-3);
              assertEquals(row.get("m0").getKnnScore(), row.get("later").getKnnScore(), 1e-9);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theBudgetCapsWhatOneWindowLearns(TestPipeline pipeline) {
    TestStream.Builder<Event> events = at(stream(), T0, reading(v1));
    for (int i = 0; i < 12; i++) {
      events =
          at(
              events,
              T0.plus(Duration.standardSeconds(30 + i)),
              message("m" + i, tweets.get(10 + i)));
    }
    PCollectionTuple learned =
        learn(
            pipeline,
            events.advanceWatermarkToInfinity(),
            options(LearningMode.ALL, o -> o.setMaxLearnedPerWindow(4)),
            true);

    PAssert.that(learned.get(LearnOnline.DETECTIONS))
        .satisfies(
            rows -> {
              long learnedCount =
                  StreamSupport.stream(rows.spliterator(), false)
                      .filter(Detection::getLearned)
                      .count();
              assertEquals(4, learnedCount);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aNewModelVersionStartsWithAnEmptyMemory(TestPipeline pipeline) throws IOException {
    TestStream.Builder<Event> events = at(stream(), T0, reading(v1));
    events = at(events, T0.plus(Duration.standardMinutes(1)), message("m0", tweets.get(25)));
    events = at(events, T0.plus(Duration.standardMinutes(2)), reading(v2));
    events = at(events, T0.plus(Duration.standardMinutes(3)), message("m1", tweets.get(25)));
    PCollectionTuple learned =
        learn(
            pipeline,
            events.advanceWatermarkToInfinity(),
            options(LearningMode.ALL, o -> {}),
            true);
    SentenceEmbedder embedder = SharedEmbedders.get(EMBEDDING);
    double trainedV2 =
        AnomalyDetector.load(
                location.load(location.versionKeyFor(v2)),
                embedder.modelId(),
                embedder.dimension(),
                AnomalyDetector.Overrides.none())
            .score(embedder.embed(List.of(tweets.get(25))))[0]
            .knnScore();

    PAssert.that(learned.get(LearnOnline.DETECTIONS))
        .satisfies(
            rows -> {
              Map<String, Detection> row = byUid(rows);
              assertEquals(v1, row.get("m0").getModelVersion());
              assertTrue(row.get("m0").getLearned());
              assertEquals(v2, row.get("m1").getModelVersion());
              assertEquals(
                  trainedV2,
                  row.get("m1").getKnnScore(),
                  1e-6,
                  "what v1's memory held is gone: v2's trained score");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anAdoptedTopicStopsAlertingWhileSingleOffTopicMessagesKeepAlerting(TestPipeline pipeline) {
    List<String> recipes = EndToEndModel.recipes(70);
    List<String> questions = SyntheticCorpus.offTopic(10, 3);
    int questionCount = questions.size();
    TestStream.Builder<Event> events = at(stream(), T0, reading(v1));
    List<String> topicUids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      topicUids.add("r" + i);
      events =
          at(
              events,
              T0.plus(Duration.standardSeconds(60 + 20 * i)),
              message("r" + i, recipes.get(i)));
    }
    events =
        at(
            events,
            T0.plus(Duration.standardMinutes(20)),
            adopted("topic-1", topicUids, T0.plus(Duration.standardMinutes(20))));
    for (int i = 40; i < 70; i++) {
      events =
          at(
              events,
              T0.plus(Duration.standardSeconds(1260 + 20 * i)),
              message("r" + i, recipes.get(i)));
    }
    for (int i = 0; i < questions.size(); i++) {
      events =
          at(events, T0.plus(Duration.standardMinutes(50 + i)), message("q" + i, questions.get(i)));
    }
    PCollectionTuple learned =
        learn(
            pipeline,
            events.advanceWatermarkToInfinity(),
            options(LearningMode.TOPICS, o -> {}),
            true);

    PAssert.that(learned.get(LearnOnline.DETECTIONS))
        .satisfies(
            rows -> {
              Map<String, Detection> row = byUid(rows);
              long before = 0;
              for (int i = 0; i < 40; i++) {
                before += row.get("r" + i).isAnomaly() ? 1 : 0;
              }
              assertTrue(before >= 30, "the new subject alerts before adoption: " + before);
              long after = 0;
              for (int i = 50; i < 70; i++) {
                after += row.get("r" + i).isAnomaly() ? 1 : 0;
              }
              assertTrue(after <= 2, "after adoption at most 10 % alert: " + after);
              long questionAlerts = 0;
              for (int i = 0; i < questionCount; i++) {
                Detection q = row.get("q" + i);
                questionAlerts += q.isAnomaly() ? 1 : 0;
                assertFalse(q.getLearned());
              }
              assertTrue(questionAlerts >= 8, "single off-topic messages: " + questionAlerts);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aMessageWithoutItsSimilaritiesIsADeadLetter(TestPipeline pipeline) {
    TestStream.Builder<Event> events = at(stream(), T0, reading(v1));
    events = at(events, T0.plus(Duration.standardMinutes(1)), message("m0", tweets.get(30)));
    PCollectionTuple learned =
        learn(
            pipeline,
            events.advanceWatermarkToInfinity(),
            options(LearningMode.NORMAL, o -> {}),
            false);

    PAssert.that(learned.get(LearnOnline.DETECTIONS)).empty();
    PAssert.that(learned.get(LearnOnline.FAILURES))
        .satisfies(
            failures -> {
              List<Failure> all = StreamSupport.stream(failures.spliterator(), false).toList();
              assertEquals(1, all.size());
              assertEquals(LearnOnline.STAGE, all.get(0).getStage());
              assertEquals("m0", all.get(0).getAttributes().get("uid"));
              assertTrue(
                  all.get(0).getReason().contains("kNN similarities"), all.get(0).getReason());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
