package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.model.AnomalyDetector;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.SerializableCoder;
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
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ScoreMessages with its model-version side input driven by a TestStream of pointer readings
 * through WatchModelVersion's own view: rows carry the version the side input names, a switch
 * mid-stream moves later rows to the new version, a version that cannot load leaves the last good
 * one serving, and with no loadable version at all a message becomes a dead letter. Two real small
 * models are trained here (TwoModelVersions).
 */
@ExtendWith(TestPipelineExtension.class)
class ScoreMessagesTest {
  private static final java.time.Instant PUBLISHED =
      java.time.Instant.parse("2026-11-23T09:00:00Z");
  private static final EmbedderOptions EMBEDDING = EmbedderOptions.of("builtin:all-minilm-l6-v2");
  private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
  private static final Duration SETTLE = Duration.standardSeconds(1);
  private static final String MISSING_VERSION = "20991231T000000Z";

  @TempDir static Path store;
  private static String v1;
  private static String v2;
  private static List<String> texts;

  @BeforeAll
  static void trainTwoVersions() throws IOException {
    TwoModelVersions versions =
        TwoModelVersions.publish(
            store, EMBEDDING, java.time.Instant.parse("2026-11-23T09:00:00Z"), 10);
    v1 = versions.first();
    v2 = versions.second();
    texts = versions.unseen();
  }

  /**
   * One event of the test's stream: a reading of the version pointer, or an embedded message to
   * score (one stream for both, so their order is the order the TestStream gives them).
   */
  record Event(String reading, String uid, String text, float[] embedding) implements Serializable {

    /** The message as DecodeMessages hands it on. */
    InboundMessage message() {
      return InboundMessage.builder()
          .setUid(uid)
          .setText(text)
          .setPublishTime(PUBLISHED)
          .setEventTime(PUBLISHED)
          .build();
    }
  }

  private static Event reading(String version) {
    return new Event(version, null, null, null);
  }

  /** A message as DecodeMessages and EmbedMessages hand it on. */
  private static Event message(String uid, String text) {
    SentenceEmbedder embedder = SharedEmbedders.get(EMBEDDING);
    return new Event(null, uid, text, embedder.embed(List.of(text))[0]);
  }

  /** Scores the stream's messages with the version its readings name. */
  private static PCollectionTuple score(
      TestPipeline pipeline, TestStream<Event> events, ModelLocation location) {
    PCollection<Event> all = pipeline.apply(events);
    PCollectionView<String> version =
        WatchModelVersion.newestReading(
            all.apply("Readings", Filter.by(e -> e.reading() != null))
                .apply("AsReadings", ParDo.of(new ToReadingFn())));
    return all.apply("Messages", Filter.by(e -> e.uid() != null))
        .apply(
            "AsEmbedded",
            MapElements.into(new TypeDescriptor<KV<InboundMessage, float[]>>() {})
                .via(e -> KV.of(e.message(), e.embedding())))
        .setCoder(EmbeddedBatches.PAIR_CODER)
        .apply(EmbeddedBatches.oneEach())
        .apply(
            new ScoreMessages(
                version,
                location,
                EMBEDDING,
                new AnomalyDetector.Overrides(null, null, null),
                false));
  }

  private static TestStream.Builder<Event> stream() {
    return TestStream.create(SerializableCoder.of(Event.class)).advanceWatermarkTo(T0);
  }

  /** Stamps a reading with its event time, as WatchModelVersion's reader stamps its ticks. */
  private static final class ToReadingFn extends DoFn<Event, TimestampedValue<String>> {
    @ProcessElement
    public void process(
        @Element Event event, @Timestamp Instant at, OutputReceiver<TimestampedValue<String>> out) {
      out.output(TimestampedValue.of(event.reading(), at));
    }
  }

  @Test
  void rowsCarryTheVersionTheSideInputNamesAcrossASwitchAndABrokenVersion(TestPipeline pipeline)
      throws IOException {
    TestStream<Event> events =
        stream()
            .addElements(reading(v1))
            .advanceProcessingTime(SETTLE)
            .addElements(message("m-1", texts.get(0)), message("m-2", texts.get(1)))
            .advanceProcessingTime(SETTLE)
            .addElements(reading(v2))
            .advanceProcessingTime(SETTLE)
            .addElements(message("m-3", texts.get(2)), message("m-4", texts.get(3)))
            .advanceProcessingTime(SETTLE)
            // the pointer names a version that is not there: v2 must keep serving
            .addElements(reading(MISSING_VERSION))
            .advanceProcessingTime(SETTLE)
            .addElements(message("m-5", texts.get(4)))
            .advanceWatermarkToInfinity();

    PCollectionTuple scored =
        score(pipeline, events, ModelLocation.of(store.toString(), TwoModelVersions.MODEL_NAME));

    PAssert.that(scored.get(ScoreMessages.DETECTIONS))
        .satisfies(
            rows -> {
              Map<String, String> versionPerUid =
                  StreamSupport.stream(rows.spliterator(), false)
                      .collect(
                          Collectors.toMap(
                              d -> d.getMessage().getUid(), Detection::getModelVersion));
              assertEquals(
                  Map.of("m-1", v1, "m-2", v1, "m-3", v2, "m-4", v2, "m-5", v2), versionPerUid);
              for (Detection row : rows) {
                assertEquals("sentence-transformers/all-MiniLM-L6-v2", row.getEmbeddingModel());
                assertTrue(row.getDecision().startsWith("knn>"), row.getDecision());
                assertNotNull(row.getKnnScore(), "a k-NN score for every row");
                assertEquals(
                    row.getKnnScore() > row.getThreshold(), row.isAnomaly(), row.toString());
              }
              return null;
            });
    PAssert.that(scored.get(ScoreMessages.FAILURES)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aMessageWithNoLoadableModelIsADeadLetter(TestPipeline pipeline, @TempDir Path emptyStore)
      throws IOException {
    TestStream<Event> events =
        stream()
            .addElements(reading(MISSING_VERSION))
            .advanceProcessingTime(SETTLE)
            .addElements(message("m-1", texts.get(0)))
            .advanceWatermarkToInfinity();

    PCollectionTuple scored =
        score(pipeline, events, ModelLocation.of(emptyStore.toString(), "tweets"));

    PAssert.that(scored.get(ScoreMessages.DETECTIONS)).empty();
    PAssert.that(scored.get(ScoreMessages.FAILURES))
        .satisfies(
            failures -> {
              List<Failure> all = StreamSupport.stream(failures.spliterator(), false).toList();
              assertEquals(1, all.size(), all.toString());
              Failure failure = all.get(0);
              assertEquals(ScoreMessages.STAGE, failure.getStage());
              assertTrue(
                  failure.getReason().startsWith("no usable model: version " + MISSING_VERSION),
                  failure.getReason());
              assertEquals("m-1", failure.getAttributes().get("uid"));
              assertEquals(texts.get(0), failure.payloadAsText());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
