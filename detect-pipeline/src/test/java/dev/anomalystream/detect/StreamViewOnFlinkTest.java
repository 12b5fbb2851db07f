package dev.anomalystream.detect;

import static dev.anomalystream.detect.DetectFromKafkaEndToEndTest.record;
import static dev.anomalystream.detect.DetectFromKafkaEndToEndTest.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.detection.DetectionRowFiles;
import dev.anomalystream.core.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector with its stream view on Flink's embedded cluster reading Kafka, where event-time
 * windows fire: records stamped over 20 minutes in the past (normal tweets every 5 s and a burst of
 * one off-topic text), 2-minute windows every minute. Once the source has caught up its watermark
 * moves to the wall clock less its delay, so every window closes: window rows, window scores and
 * the burst's topic appear as NDJSON.
 *
 * <p>A backlog is what found the bug this guards against: EmbedTexts' GroupIntoBatches gives a
 * whole batch the earliest timestamp in it, and batches read off a backlog span many minutes of
 * event time, so the stream view (which checked event_time against the element's timestamp) refused
 * most of a batch as "in the future": windows fired with part of their messages and whole minutes
 * (the burst's) were missing. The stream view alone over the same kind of backlog (the second test)
 * isolates the windows from the detector's batching.
 */
@Tag("slow-runner")
class StreamViewOnFlinkTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
  private static final int NORMAL = 240;
  private static final int BURST = 25;

  @TempDir Path models;
  @TempDir Path out;

  @Test
  void windowRowsWindowScoresAndTopicsAppear() throws Exception {
    EndToEndModel.publish(models, Instant.parse("2026-11-23T08:00:00Z"));
    KAFKA.createTopic("stream-in", 1);
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(25));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> normal = EndToEndModel.unseenTweets(NORMAL);
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < NORMAL; i++) {
      times.add(start.plusSeconds(5L * i));
    }
    String outage = SyntheticCorpus.offTopic(1, 3).get(0);
    int next = 0;
    for (int i = 0; i < NORMAL; i++) {
      Instant t = times.get(i);
      records.add(record("stream-in", "n-" + i, utf8(normal.get(i)), t, t.toString()));
      // the burst: start + 10 min to start + 12 min, one every 5 s between the normal ones
      if (!t.isBefore(start.plus(Duration.ofMinutes(10))) && next < BURST) {
        Instant b = t.plusMillis(2500);
        records.add(
            record(
                "stream-in",
                "burst-" + next,
                utf8(outage + " (report " + (next + 1) + ")"),
                b,
                b.toString()));
        next++;
      }
    }
    KAFKA.produce(records);

    PipelineResult result = DetectPipeline.run(options());
    try {
      List<Map<String, Object>> rows =
          await("a row for each of the " + records.size() + " records")
              .atMost(Duration.ofSeconds(240))
              .pollInterval(Duration.ofSeconds(2))
              .until(() -> DetectionRowFiles.read(out.resolve("rows")), r -> r.size() >= 265);
      assertEquals(NORMAL + BURST, rows.size());

      // windows from start - 1 min to start + 19 min; all closed once the source caught up
      Map<String, Long> expected = new java.util.TreeMap<>();
      for (int m = -1; m < 20; m++) {
        long normalIn = m == -1 || m == 19 ? 12 : 24;
        // the burst: 12 in minute 10, 12 in minute 11, 1 in minute 12
        long burstIn = Map.of(9, 12, 10, 24, 11, 13, 12, 1).getOrDefault(m, 0);
        expected.put(start.plus(Duration.ofMinutes(m)).toString(), normalIn + burstIn);
      }
      List<Map<String, Object>> windows =
          await("the 21 window rows")
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () -> DetectionRowFiles.read(out.resolve("windows")),
                  w -> w.size() >= expected.size());
      Map<String, Long> actual = new java.util.TreeMap<>();
      for (Map<String, Object> w : windows) {
        assertEquals("ON_TIME", w.get("pane_timing"), w::toString);
        assertEquals(
            null,
            actual.put((String) w.get("window_start"), ((Number) w.get("messages")).longValue()),
            "one row per window: " + windows);
      }
      assertEquals(expected, actual);
      Map<String, Object> burstWindow =
          windows.stream()
              .filter(w -> w.get("window_start").equals(start.plusSeconds(600).toString()))
              .findFirst()
              .orElseThrow();
      assertTrue(((Number) burstWindow.get("anomalies")).intValue() >= 20, burstWindow::toString);
      assertEquals(Boolean.TRUE, burstWindow.get("is_drift"), burstWindow::toString);

      List<Map<String, Object>> topics =
          await("the burst's topic")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofSeconds(2))
              .until(() -> DetectionRowFiles.read(out.resolve("topics")), t -> !t.isEmpty());
      Set<String> topicUids =
          topics.stream()
              .flatMap(t -> ((List<?>) t.get("uids")).stream().map(Object::toString))
              .collect(Collectors.toSet());
      assertTrue(
          topicUids.stream().filter(uid -> uid.startsWith("burst-")).count() >= 0.8 * BURST,
          "most of the burst in topics: " + topics);

      // every message scored once, by the window centred on it
      Set<String> uids = rows.stream().map(r -> (String) r.get("uid")).collect(Collectors.toSet());
      List<Map<String, Object>> scores = List.of();
      Instant deadline = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(deadline)) {
        scores = DetectionRowFiles.read(out.resolve("window-scores"));
        if (scores.size() >= uids.size()) {
          break;
        }
        Thread.sleep(2000);
      }
      Set<Object> scored = scores.stream().map(s -> s.get("uid")).collect(Collectors.toSet());
      Set<String> missing = new java.util.TreeSet<>(uids);
      missing.removeAll(scored);
      assertEquals(Set.of(), missing, "messages without a window score");
      assertEquals(scores.size(), scored.size(), "each message scored once");
      List<Map<String, Object>> refused =
          DetectionRowFiles.read(out.resolve("errors")).stream()
              .filter(e -> StreamView.STAGE.equals(e.get("stage")))
              .toList();
      assertEquals(List.of(), refused, "no message refused by the windows");
    } finally {
      result.cancel();
    }
  }

  /** Written by the embedded cluster's task threads, in this JVM. */
  private static final java.util.Queue<String> ALONE_WINDOWS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * The stream view alone on Flink over the same kind of backlog (decoded messages as detections
   * with made-up vectors, no embedding or scoring): every window complete and on time.
   */
  @Test
  void theStreamViewAloneCountsEveryWindowExactly() throws Exception {
    KAFKA.createTopic("alone-in", 1);
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(25));
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < NORMAL; i++) {
      Instant t = start.plusSeconds(5L * i);
      records.add(record("alone-in", "n-" + i, utf8("text " + i), t, t.toString()));
    }
    KAFKA.produce(records);
    org.apache.beam.runners.flink.FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=1",
                "--attachedMode=false",
                "--checkpointingInterval=2000")
            .as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
    options.setStreaming(true);
    org.apache.beam.sdk.Pipeline pipeline = org.apache.beam.sdk.Pipeline.create(options);
    pipeline
        .apply(
            "ReadKafkaMessages",
            new ReadKafkaMessages(KAFKA.bootstrapServers(), "alone-in", "alone", "uid"))
        .get(ReadKafkaMessages.MESSAGES)
        .apply(
            "DecodeMessages",
            new DecodeMessages(new dev.anomalystream.core.detection.MessageDecoder("uid", 1000)))
        .get(DecodeMessages.MESSAGES)
        .apply(
            "AsDetections",
            org.apache.beam.sdk.transforms.MapElements.into(
                    org.apache.beam.sdk.values.TypeDescriptor.of(
                        dev.anomalystream.core.detection.Detection.class))
                .via(
                    (dev.anomalystream.core.detection.InboundMessage m) ->
                        dev.anomalystream.core.testing.SampleDetections.scored("x", false)
                            .toBuilder()
                            .setMessage(m)
                            .setEmbedding(
                                StreamViewTest.randomUnit(
                                    new java.util.Random(m.getUid().hashCode())))
                            .build()))
        .setCoder(
            dev.anomalystream.core.beam.SchemaCoders.of(
                dev.anomalystream.core.detection.Detection.class))
        .apply(
            "StreamView",
            new StreamView(
                new dev.anomalystream.core.stream.WindowAnalysis.Settings(
                    Duration.ofMinutes(2), Duration.ofMinutes(1), 5),
                Duration.ofMinutes(5),
                ModelLocation.of(models.toString(), "none")))
        .get(StreamView.WINDOWS)
        .apply("RecordWindows", org.apache.beam.sdk.transforms.ParDo.of(new RecordWindowFn()));
    PipelineResult result = pipeline.run();
    try {
      await("the windows settle")
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofSeconds(1))
          .until(ALONE_WINDOWS::size, n -> n >= 21);
      List<String> windows = ALONE_WINDOWS.stream().sorted().toList();
      java.util.Map<String, Long> expected = new java.util.TreeMap<>();
      for (int m = -1; m < 20; m++) {
        Instant ws = start.plus(Duration.ofMinutes(m));
        long n = m == -1 || m == 19 ? 12 : 24;
        expected.put(ws.toString(), n);
      }
      java.util.Map<String, Long> actual = new java.util.TreeMap<>();
      for (String w : windows) {
        String[] f = w.split(" ");
        assertEquals(null, actual.put(f[0], Long.parseLong(f[1])), "twice: " + windows);
      }
      assertEquals(expected, actual, windows.toString());
    } finally {
      result.cancel();
    }
  }

  private static final class RecordWindowFn
      extends org.apache.beam.sdk.transforms.DoFn<
          dev.anomalystream.core.stream.WindowSummary, Void> {
    @ProcessElement
    public void process(@Element dev.anomalystream.core.stream.WindowSummary w) {
      ALONE_WINDOWS.add(
          w.windowStart() + " " + w.messages() + " " + w.paneTiming() + " " + w.paneIndex());
    }
  }

  private DetectOptions options() {
    return PipelineOptionsFactory.fromArgs(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=1",
            "--attachedMode=false",
            "--checkpointingInterval=2000",
            "--source=kafka",
            "--bootstrapServers=" + KAFKA.bootstrapServers(),
            "--inputTopic=stream-in",
            "--consumerGroup=stream-view",
            "--model=" + models,
            "--modelName=" + EndToEndModel.NAME,
            "--modelRefreshSeconds=0",
            "--outputDirectory=" + out,
            "--outboxDirectory=" + out.resolve("outbox"),
            "--fileFlushSeconds=2",
            "--maxBatchWaitMillis=200",
            "--windowMinutes=2",
            "--windowSlideMinutes=1")
        .withValidation()
        .as(DetectOptions.class);
  }
}
