package dev.anomalystream.detect;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anomalystream.core.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.PeriodicImpulse;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-version side input. Its re-triggered global window is driven here by a TestStream of
 * pointer readings (the view follows every new reading; the newest reading wins within a pane). The
 * PeriodicImpulse in front of it runs on the wall clock and TestStream cannot drive it, so one
 * short real-time run checks that the whole transform follows a real store's LATEST file, and keeps
 * the version it has while the pointer is unreadable.
 */
@ExtendWith(TestPipelineExtension.class)
class WatchModelVersionTest {
  private static final String READING = "reading";
  private static final String PROBE = "probe";
  private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
  private static final org.joda.time.Duration SETTLE = org.joda.time.Duration.standardSeconds(1);

  /** What the real-time run's probes saw, per run, newest last. */
  private static final Map<String, ConcurrentLinkedDeque<String>> SEEN = new ConcurrentHashMap<>();

  @TempDir Path store;

  /** One event of the TestStream: a pointer reading, or a probe that reads the side input. */
  private static TimestampedValue<KV<String, String>> event(String kind, String value, int second) {
    return TimestampedValue.of(
        KV.of(kind, value), T0.plus(org.joda.time.Duration.standardSeconds(second)));
  }

  @Test
  void theViewFollowsEachNewReadingAndTheNewestReadingOfAPaneWins(TestPipeline pipeline) {
    TestStream<KV<String, String>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .advanceWatermarkTo(T0)
            .addElements(event(READING, "v1", 1))
            .advanceProcessingTime(SETTLE)
            .addElements(event(PROBE, "p1", 2))
            .advanceProcessingTime(SETTLE)
            .addElements(event(READING, "v2", 3))
            .advanceProcessingTime(SETTLE)
            .addElements(event(PROBE, "p2", 4))
            .advanceProcessingTime(SETTLE)
            // two readings in one pane, out of order: the later reading (v3) must win
            .addElements(event(READING, "v3", 6), event(READING, "v2", 5))
            .advanceProcessingTime(SETTLE)
            .addElements(event(PROBE, "p3", 7))
            .advanceProcessingTime(SETTLE)
            // a rollback of LATEST is a newer reading of an older name
            .addElements(event(READING, "v1", 8))
            .advanceProcessingTime(SETTLE)
            .addElements(event(PROBE, "p4", 9))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, String>> all = pipeline.apply(events);

    PCollectionView<String> version =
        WatchModelVersion.newestReading(
            all.apply("Readings", Filter.by(e -> e.getKey().equals(READING)))
                .apply("AsReadings", ParDo.of(new ToReadingFn())));
    PCollection<KV<String, String>> seen =
        all.apply("Probes", Filter.by(e -> e.getKey().equals(PROBE)))
            .apply("ReadView", ParDo.of(new ProbeFn(version)).withSideInputs(version));

    PAssert.that(seen)
        .satisfies(
            probes -> {
              assertEquals(
                  Map.of("p1", "v1", "p2", "v2", "p3", "v3", "p4", "v1"),
                  StreamSupport.stream(probes.spliterator(), false)
                      .collect(Collectors.toMap(KV::getKey, KV::getValue)));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aFixedVersionDirectoryIsAConstant(TestPipeline pipeline) throws IOException {
    Path version = Files.createDirectories(store.resolve("tweets").resolve("20261123T080000Z"));
    Files.writeString(version.resolve(ModelStore.METADATA_FILE), "{}");
    PCollectionView<String> view =
        pipeline.apply(
            new WatchModelVersion(
                ModelLocation.of(version.toString(), "tweets"),
                org.joda.time.Duration.standardSeconds(1)));
    PCollection<KV<String, String>> seen =
        pipeline
            .apply(org.apache.beam.sdk.transforms.Create.of(KV.of(PROBE, "p1")))
            .apply(ParDo.of(new ProbeFn(view)).withSideInputs(view));
    PAssert.that(seen).containsInAnyOrder(KV.of("p1", version.toString()));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void followsTheStoresLatestPointerInRealTimeAndKeepsItsVersionWhileUnreadable()
      throws IOException {
    writeLatest("20261123T080000Z");
    String run = "run-" + System.nanoTime();
    SEEN.put(run, new ConcurrentLinkedDeque<>());
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline pipeline = Pipeline.create(options);
    PCollectionView<String> version =
        pipeline.apply(
            new WatchModelVersion(
                ModelLocation.of(store.toString(), "tweets"),
                org.joda.time.Duration.standardSeconds(1)));
    pipeline
        .apply("Probes", PeriodicImpulse.create().withInterval(org.joda.time.Duration.millis(200)))
        .apply("Record", ParDo.of(new RecordFn(run, version)).withSideInputs(version));
    PipelineResult result = pipeline.run();
    try {
      await("the first version")
          .atMost(Duration.ofSeconds(60))
          .until(() -> SEEN.get(run).peekLast(), equalTo("20261123T080000Z"));

      writeLatest("20261123T090000Z");
      await("the new version")
          .atMost(Duration.ofSeconds(30))
          .until(() -> SEEN.get(run).peekLast(), equalTo("20261123T090000Z"));

      // an unreadable pointer emits nothing: for several refresh intervals, the version stays
      writeLatest("not a version name!");
      int seenBefore = SEEN.get(run).size();
      await("probes keep running on the version they had")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(10))
          .until(() -> SEEN.get(run).peekLast(), equalTo("20261123T090000Z"));
      assertEquals(true, SEEN.get(run).size() > seenBefore, "the probes kept running");
    } finally {
      result.cancel();
      SEEN.remove(run);
    }
  }

  private void writeLatest(String content) throws IOException {
    Path model = Files.createDirectories(store.resolve("tweets"));
    Path temporary = Files.createTempFile(model, "LATEST", ".tmp");
    Files.writeString(temporary, content + "\n");
    Files.move(
        temporary,
        model.resolve(ModelStore.LATEST_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** A reading of the pointer as WatchModelVersion's reader makes one: stamped when read. */
  private static final class ToReadingFn
      extends DoFn<KV<String, String>, TimestampedValue<String>> {
    @ProcessElement
    public void process(
        @Element KV<String, String> reading,
        @Timestamp Instant readAt,
        OutputReceiver<TimestampedValue<String>> out) {
      out.output(TimestampedValue.of(reading.getValue(), readAt));
    }
  }

  /** Outputs each probe with the version the side input holds when the probe is processed. */
  private static final class ProbeFn extends DoFn<KV<String, String>, KV<String, String>> {
    private final PCollectionView<String> version;

    ProbeFn(PCollectionView<String> version) {
      this.version = version;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      context.output(KV.of(context.element().getValue(), context.sideInput(version)));
    }
  }

  /** Records the side input's version at each tick, for the test thread to poll. */
  private static final class RecordFn extends DoFn<Instant, Void> {
    private final String run;
    private final PCollectionView<String> version;

    RecordFn(String run, PCollectionView<String> version) {
      this.run = run;
      this.version = version;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      SEEN.get(run).add(context.sideInput(version));
    }
  }
}
