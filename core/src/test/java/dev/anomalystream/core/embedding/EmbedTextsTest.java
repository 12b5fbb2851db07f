package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.failure.Failure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * EmbedTexts on the direct runner, bounded (bundle batching) and unbounded (GroupIntoBatches).
 * Elements are strings; an element starting with "unreadable" makes the text function throw and one
 * starting with "missing" has no text, so both must come out as failures, not be lost.
 */
class EmbedTextsTest {
  private static final EmbedderOptions MODEL = EmbedderOptions.defaults();
  private static final String LONG_TEXT = String.join(" ", Collections.nCopies(150, "overflow"));
  private static final List<String> GOOD =
      List.of(
          "i feel like a faithful servant",
          "",
          "我今天很开心",
          "i am just feeling cranky and blue",
          LONG_TEXT);
  private static final List<String> BAD = List.of("unreadable #1", "missing #2");

  private static String textOf(String element) {
    if (element.startsWith("unreadable")) {
      throw new IllegalStateException("no text field in " + element);
    }
    return element.startsWith("missing") ? null : element;
  }

  private static String idOf(String element) {
    return "id-" + element.hashCode();
  }

  private static EmbedTexts<String> transform() {
    return EmbedTexts.of(MODEL, EmbedTextsTest::textOf, EmbedTextsTest::idOf).withMaxBatchSize(2);
  }

  private static List<String> allElements() {
    List<String> elements = new ArrayList<>(GOOD);
    elements.addAll(BAD);
    return elements;
  }

  /** Every good element once, with the vector the embedder gives it alone. */
  private static Void checkEmbedded(Iterable<KV<String, float[]>> output) {
    Map<String, float[]> byElement = new TreeMap<>();
    for (KV<String, float[]> kv : output) {
      assertEquals(null, byElement.put(kv.getKey(), kv.getValue()), "twice: " + kv.getKey());
    }
    assertEquals(GOOD.size(), byElement.size(), byElement.keySet().toString());
    SentenceEmbedder embedder = SharedEmbedders.get(MODEL);
    for (String text : GOOD) {
      float[] expected = embedder.embed(List.of(text))[0];
      float[] actual = byElement.get(text);
      for (int d = 0; d < expected.length; d++) {
        assertEquals(expected[d], actual[d], 1e-5, text);
      }
    }
    return null;
  }

  /** One failure per bad element, naming the stage, the element id and the cause. */
  private static Void checkFailures(Iterable<Failure> failures) {
    Map<String, Failure> byId = new TreeMap<>();
    for (Failure failure : failures) {
      byId.put(failure.getAttributes().get("id"), failure);
    }
    assertEquals(BAD.size(), byId.size());
    Failure unreadable = byId.get(idOf(BAD.get(0)));
    assertEquals(EmbedTexts.STAGE, unreadable.getStage());
    assertTrue(
        unreadable.getReason().contains("no text field in unreadable #1"), unreadable.getReason());
    assertEquals(BAD.get(0), new String(unreadable.getPayload(), StandardCharsets.UTF_8));
    Failure missing = byId.get(idOf(BAD.get(1)));
    assertEquals(EmbedTexts.STAGE, missing.getStage());
    assertTrue(missing.getReason().contains("no text"), missing.getReason());
    return null;
  }

  private static long counter(PipelineResult result, String name) {
    return MetricCounts.attempted(result, EmbedTexts.class, name);
  }

  @Test
  void boundedInputIsEmbeddedInBundleBatchesWithFailuresAndCounters() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    EmbedTexts<String> embed = transform();
    PCollectionTuple outputs = pipeline.apply(Create.of(allElements())).apply(embed);
    PAssert.that(outputs.get(embed.embedded())).satisfies(EmbedTextsTest::checkEmbedded);
    PAssert.that(outputs.get(EmbedTexts.FAILURES)).satisfies(EmbedTextsTest::checkFailures);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(GOOD.size(), counter(result, "embedded"));
    assertEquals(BAD.size(), counter(result, "failed"));
    assertEquals(1, counter(result, "truncated"));
  }

  @Test
  void unboundedInputIsEmbeddedInGroupedBatchesWithFailures() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    TestStream.Builder<String> stream =
        TestStream.create(StringUtf8Coder.of()).advanceWatermarkTo(new Instant(0));
    long second = 0;
    for (String element : allElements()) {
      stream = stream.addElements(TimestampedValue.of(element, new Instant(second++ * 1000)));
    }
    PCollection<String> input =
        pipeline.apply(
            stream.advanceProcessingTime(Duration.standardSeconds(5)).advanceWatermarkToInfinity());
    EmbedTexts<String> embed = transform().withShards(2).withMaxBuffering(Duration.millis(200));
    PCollectionTuple outputs = input.apply(embed);
    PAssert.that(outputs.get(embed.embedded())).satisfies(EmbedTextsTest::checkEmbedded);
    PAssert.that(outputs.get(EmbedTexts.FAILURES)).satisfies(EmbedTextsTest::checkFailures);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(GOOD.size(), counter(result, "embedded"));
    assertEquals(BAD.size(), counter(result, "failed"));
  }

  /** Batched output: the same pairs, a model call's worth per element, nothing one by one. */
  private static Void checkBatches(Iterable<List<KV<String, float[]>>> batches) {
    List<KV<String, float[]>> all = new ArrayList<>();
    for (List<KV<String, float[]>> batch : batches) {
      assertTrue(!batch.isEmpty() && batch.size() <= 2, "batch of " + batch.size());
      all.addAll(batch);
    }
    return checkEmbedded(all);
  }

  private static void assertBatched(PCollectionTuple outputs, EmbedTexts<String> embed) {
    PAssert.that(outputs.get(embed.embeddedBatches())).satisfies(EmbedTextsTest::checkBatches);
    PAssert.that(outputs.get(embed.embedded())).empty();
    PAssert.that(outputs.get(EmbedTexts.FAILURES)).satisfies(EmbedTextsTest::checkFailures);
  }

  @Test
  void batchedOutputCarriesEachModelCallsElementsTogetherBoundedAndUnbounded() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    EmbedTexts<String> bounded = transform().inBatches();
    PCollectionTuple fromBundles =
        pipeline.apply("Bounded", Create.of(allElements())).apply("EmbedBounded", bounded);
    TestStream.Builder<String> stream =
        TestStream.create(StringUtf8Coder.of()).advanceWatermarkTo(new Instant(0));
    for (String element : allElements()) {
      stream = stream.addElements(element);
    }
    EmbedTexts<String> unbounded = transform().withShards(1).inBatches();
    PCollectionTuple fromGroups =
        pipeline
            .apply(
                "Unbounded",
                stream
                    .advanceProcessingTime(Duration.standardSeconds(5))
                    .advanceWatermarkToInfinity())
            .apply("EmbedUnbounded", unbounded);
    assertBatched(fromBundles, bounded);
    assertBatched(fromGroups, unbounded);

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2 * GOOD.size(), counter(result, "embedded"));
    assertEquals(2, MetricCounts.maximum(result, EmbedTexts.class, "batch_size"));
  }
}
