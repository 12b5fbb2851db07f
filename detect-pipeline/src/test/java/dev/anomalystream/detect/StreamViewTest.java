package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.stream.CentredWindow;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowAnalysis;
import dev.anomalystream.core.stream.WindowScore;
import dev.anomalystream.core.stream.WindowSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream view on a TestStream whose watermark the test moves: windows close and are summarised
 * with exact counts, a late message within the lateness re-fires its window, one beyond it is
 * dropped and counted, unusable event times are dead letters, a burst of one new topic is one topic
 * event, and every message gets exactly one window score. Synthetic 16-d unit vectors: the stream
 * view does not check the dimension. The model location is an empty store: a version whose
 * references cannot be read gives windows without drift fields, and the windows go on.
 */
@ExtendWith(TestPipelineExtension.class)
class StreamViewTest {
  private static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(10);
  private static final java.time.Duration SLIDE = java.time.Duration.ofMinutes(1);
  private static final java.time.Duration LATENESS = java.time.Duration.ofMinutes(5);
  private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
  private static final int DIMENSION = 16;

  @TempDir static Path emptyStore;
  private static ModelLocation location;

  @BeforeAll
  static void modelLocation() throws Exception {
    location = ModelLocation.of(emptyStore.toString(), "tweets");
  }

  private static StreamView streamView() {
    return new StreamView(new WindowAnalysis.Settings(WINDOW, SLIDE, 5), LATENESS, location);
  }

  private static TestStream.Builder<Detection> stream() {
    return TestStream.create(SchemaCoders.of(Detection.class));
  }

  /** A scored message published (and stamped) at {@code stamp} with the given event_time. */
  static Detection detection(
      String uid, Instant stamp, Instant eventTime, boolean anomaly, float[] embedding) {
    java.time.Instant published = java.time.Instant.ofEpochMilli(stamp.getMillis());
    return Detection.builder()
        .setMessage(
            InboundMessage.builder()
                .setUid(uid)
                .setText("text of " + uid)
                .setPublishTime(published)
                .setEventTime(
                    eventTime == null
                        ? null
                        : java.time.Instant.ofEpochMilli(eventTime.getMillis()))
                .build())
        .setCluster(anomaly ? -1 : 0)
        .setProbability(0.5)
        .setKnnScore(anomaly ? 0.9 : 0.1)
        .setAnomaly(anomaly)
        .setDecision("knn>0.5000")
        .setThreshold(0.5)
        .setModelVersion("v1")
        .setEmbeddingModel("m")
        .setProcessedTime(published)
        .setEmbedding(embedding)
        .build();
  }

  /** A message whose event_time is its stamp. */
  static TimestampedValue<Detection> at(Instant time, String uid, boolean anomaly, float[] vector) {
    return TimestampedValue.of(detection(uid, time, time, anomaly, vector), time);
  }

  static float[] randomUnit(Random random) {
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalised(v);
  }

  static float[] near(float[] direction, double noise, Random random) {
    float[] v = direction.clone();
    for (int i = 0; i < DIMENSION; i++) {
      v[i] += (float) (noise * random.nextGaussian());
    }
    return normalised(v);
  }

  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }

  private static Instant minutes(double m) {
    return T0.plus(Duration.millis(Math.round(m * 60_000)));
  }

  /** The window rows by "start|timing|index" -> messages, for exact comparisons. */
  private static Map<String, Long> panes(Iterable<WindowSummary> windows) {
    Map<String, Long> panes = new TreeMap<>();
    for (WindowSummary w : windows) {
      String key = w.windowStart() + "|" + w.paneTiming() + "|" + w.paneIndex();
      assertNull(panes.put(key, w.messages()), "one row per window and pane: " + key);
    }
    return panes;
  }

  /** The sliding windows (10 min every minute) holding any of {@code times}, with their counts. */
  private static Map<String, Long> expectedOnTime(List<Instant> times) {
    Map<String, Long> expected = new TreeMap<>();
    for (Instant t : times) {
      long minute = t.getMillis() / 60_000 * 60_000;
      for (int back = 0; back < 10; back++) {
        Instant start = new Instant(minute - back * 60_000L);
        expected.merge(
            java.time.Instant.ofEpochMilli(start.getMillis()) + "|ON_TIME|0", 1L, Long::sum);
      }
    }
    return expected;
  }

  @Test
  void aWindowClosesWithItsExactCounts(TestPipeline pipeline) {
    Random random = new Random(1);
    List<Instant> times = List.of(minutes(0.5), minutes(1.5), minutes(2.5), minutes(12.25));
    TestStream<Detection> events =
        stream()
            .advanceWatermarkTo(T0)
            .addElements(
                at(times.get(0), "m-0", false, randomUnit(random)),
                at(times.get(1), "m-1", true, randomUnit(random)),
                // no event_time: the window places it at its publish time
                TimestampedValue.of(
                    detection("m-2", times.get(2), null, false, randomUnit(random)), times.get(2)))
            .advanceWatermarkTo(minutes(11))
            .addElements(at(times.get(3), "m-3", false, randomUnit(random)))
            .advanceWatermarkToInfinity();

    PCollectionTuple view = pipeline.apply(events).apply(streamView());
    Map<String, Long> expected = expectedOnTime(times);
    PAssert.that(view.get(StreamView.WINDOWS))
        .satisfies(
            windows -> {
              assertEquals(expected, panes(windows));
              for (WindowSummary w : windows) {
                assertEquals(w.windowStart().plus(java.time.Duration.ofMinutes(10)), w.windowEnd());
                assertEquals("v1", w.modelVersion());
                assertEquals(0, w.topics());
                // no readable drift reference: a row without drift fields
                assertNull(w.drift());
                assertFalse(w.toRow().containsKey(WindowSummary.DRIFT_SCORE), w.toRow()::toString);
                if (w.windowStart().equals(java.time.Instant.parse("2026-11-23T09:00:00Z"))) {
                  assertEquals(3, w.messages());
                  assertEquals(1, w.anomalies(), "m-1 is the window's anomaly");
                }
              }
              return null;
            });
    PAssert.that(view.get(StreamView.FAILURES)).empty();
    PAssert.that(view.get(StreamView.TOPICS)).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aLateMessageWithinTheLatenessFiresALatePane(TestPipeline pipeline) {
    Random random = new Random(2);
    TestStream<Detection> events =
        stream()
            .advanceWatermarkTo(T0)
            .addElements(
                at(minutes(0.5), "m-0", false, randomUnit(random)),
                at(minutes(1.5), "m-1", false, randomUnit(random)))
            // [09:00, 09:10) closes; its lateness runs to 09:15
            .advanceWatermarkTo(minutes(10.1))
            // stamped (published) at 09:00:45, read once the watermark is past 09:10
            .addElements(at(minutes(0.75), "late", true, randomUnit(random)))
            .advanceWatermarkToInfinity();

    PCollectionTuple view = pipeline.apply(events).apply(streamView());
    PAssert.that(view.get(StreamView.WINDOWS))
        .satisfies(
            windows -> {
              List<WindowSummary> ofT0 =
                  StreamSupport.stream(windows.spliterator(), false)
                      .filter(
                          w ->
                              w.windowStart()
                                  .equals(java.time.Instant.parse("2026-11-23T09:00:00Z")))
                      .sorted(java.util.Comparator.comparingLong(WindowSummary::paneIndex))
                      .toList();
              assertEquals(2, ofT0.size(), ofT0::toString);
              assertEquals("ON_TIME", ofT0.get(0).paneTiming());
              assertEquals(0, ofT0.get(0).paneIndex());
              assertEquals(2, ofT0.get(0).messages());
              assertEquals(0, ofT0.get(0).anomalies());
              assertEquals("LATE", ofT0.get(1).paneTiming());
              assertEquals(1, ofT0.get(1).paneIndex());
              assertEquals(3, ofT0.get(1).messages(), "accumulating: the whole window again");
              assertEquals(1, ofT0.get(1).anomalies());
              // windows that ended more than the lateness before the watermark do not take it
              for (WindowSummary w : windows) {
                if (w.windowEnd().isBefore(java.time.Instant.parse("2026-11-23T09:05:06Z"))) {
                  assertEquals("ON_TIME", w.paneTiming(), w::toString);
                }
              }
              return null;
            });
    PAssert.that(view.get(StreamView.FAILURES)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertTrue(
        dev.anomalystream.core.beam.MetricCounts.attempted(
                result, StreamView.class, "late_window_updates")
            >= 1);
  }

  @Test
  void aMessageBeyondTheLatenessIsDroppedAndCounted(TestPipeline pipeline) {
    Random random = new Random(3);
    TestStream<Detection> events =
        stream()
            .advanceWatermarkTo(T0)
            .addElements(at(minutes(0.5), "m-0", false, randomUnit(random)))
            // every window holding 09:00:30 ended by 09:10 and expired by 09:15
            .advanceWatermarkTo(minutes(30))
            .addElements(at(minutes(0.75), "too-late", true, randomUnit(random)))
            .advanceWatermarkToInfinity();

    PCollectionTuple view = pipeline.apply(events).apply(streamView());
    Map<String, Long> expected = expectedOnTime(List.of(minutes(0.5)));
    PAssert.that(view.get(StreamView.WINDOWS))
        .satisfies(
            windows -> {
              assertEquals(expected, panes(windows), "no window updated by the dropped message");
              return null;
            });
    PAssert.that(view.get(StreamView.WINDOW_SCORES))
        .satisfies(
            scores -> {
              Set<String> uids = new HashSet<>();
              scores.forEach(s -> uids.add(s.uid()));
              assertEquals(Set.of("m-0"), uids);
              return null;
            });
    PAssert.that(view.get(StreamView.FAILURES)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long dropped = 0;
    for (MetricResult<Long> counter :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (counter.getName().getName().equalsIgnoreCase("droppedDueToLateness")) {
        dropped += counter.getAttempted();
      }
    }
    // one per window the message would have joined: the ten sliding windows holding 09:00:45
    assertEquals(10, dropped, "Beam's droppedDueToLateness counter");
  }

  @Test
  void unusableEventTimesAreDeadLettersOfStageWindow(TestPipeline pipeline) {
    Random random = new Random(4);
    Instant stamp = minutes(20);
    TestStream<Detection> events =
        stream()
            .advanceWatermarkTo(minutes(19))
            .addElements(
                TimestampedValue.of(
                    detection("ok", stamp, minutes(16), false, randomUnit(random)), stamp),
                TimestampedValue.of(
                    detection("too-old", stamp, minutes(14), false, randomUnit(random)), stamp),
                TimestampedValue.of(
                    detection("future", stamp, minutes(25.5), false, randomUnit(random)), stamp),
                // published at 09:20 with that event_time, but stamped 09:14 by now: the earliest
                // timestamp of its embedding batch (GroupIntoBatches), as off a backlog on Flink
                TimestampedValue.of(
                    detection("batched", stamp, stamp, false, randomUnit(random)), minutes(14)))
            .advanceWatermarkToInfinity();

    PCollectionTuple view = pipeline.apply(events).apply(streamView());
    PAssert.that(view.get(StreamView.FAILURES))
        .satisfies(
            failures -> {
              Map<String, String> reasons = new HashMap<>();
              for (Failure f : failures) {
                assertEquals(StreamView.STAGE, f.getStage());
                reasons.put(f.getAttributes().get("uid"), f.getReason());
              }
              assertEquals(Set.of("too-old", "future"), reasons.keySet(), reasons::toString);
              assertTrue(
                  reasons.get("too-old").contains("360 s before the message was published")
                      && reasons.get("too-old").contains("beyond the allowed lateness of 5 min"),
                  reasons.get("too-old"));
              assertTrue(
                  reasons.get("future").contains("330 s after the message was published")
                      && reasons.get("future").contains("5 min tolerated"),
                  reasons.get("future"));
              return null;
            });
    // the accepted messages are placed at their event_time: 09:16, 4 min before its stamp, and
    // 09:20, 6 min after its batch's stamp
    Map<String, Long> expected = new TreeMap<>();
    for (int start = 7; start <= 20; start++) {
      long n = (start <= 16 ? 1 : 0) + (start >= 11 ? 1 : 0);
      expected.put(
          java.time.Instant.parse("2026-11-23T09:00:00Z").plusSeconds(60L * start) + "", n);
    }
    PAssert.that(view.get(StreamView.WINDOWS))
        .satisfies(
            windows -> {
              Map<String, Long> actual = new TreeMap<>();
              for (WindowSummary w : windows) {
                // behind the watermark on arrival, 09:16's first three windows fire late
                assertNull(actual.put(w.windowStart().toString(), w.messages()), w::toString);
              }
              assertEquals(expected, actual, "no refused message counted");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aBurstOfOneNewTopicIsOneTopicEvent(TestPipeline pipeline) {
    Random random = new Random(5);
    TestStream.Builder<Detection> builder = stream().advanceWatermarkTo(T0);
    float[] burstDirection = randomUnit(random);
    Set<String> burst = new HashSet<>();
    // 40 minutes of normal traffic, one message every 15 s, an isolated anomaly every 4 minutes,
    // and 25 near-identical anomalies between 09:20 and 09:23
    for (int minute = 0; minute < 40; minute++) {
      List<TimestampedValue<Detection>> batch = new ArrayList<>();
      for (int q = 0; q < 4; q++) {
        double m = minute + q * 0.25 + 0.1;
        boolean isolated = q == 0 && minute % 4 == 2;
        batch.add(
            at(
                minutes(m),
                (isolated ? "odd-" : "n-") + minute + "-" + q,
                isolated,
                randomUnit(random)));
      }
      if (minute >= 20 && minute < 23) {
        for (int b = 0; b < 9 && burst.size() < 25; b++) {
          String uid = "burst-" + burst.size();
          burst.add(uid);
          batch.add(
              at(minutes(minute + b / 9.0 + 0.05), uid, true, near(burstDirection, 0.03, random)));
        }
      }
      builder =
          builder
              .addElements(
                  batch.get(0), batch.subList(1, batch.size()).toArray(TimestampedValue[]::new))
              .advanceWatermarkTo(minutes(minute + 1));
    }
    TestStream<Detection> events = builder.advanceWatermarkToInfinity();

    PCollectionTuple view = pipeline.apply(events).apply(streamView());
    PAssert.that(view.get(StreamView.WINDOWS))
        .satisfies(
            windows -> {
              // the windows holding the burst find it as one topic; the isolated anomalies none
              for (WindowSummary w : windows) {
                // the burst: 09:20:03 to 09:22:46, nine a minute
                boolean holdsBurst =
                    w.windowStart().isBefore(java.time.Instant.parse("2026-11-23T09:22:30Z"))
                        && w.windowEnd().isAfter(java.time.Instant.parse("2026-11-23T09:20:30Z"));
                assertEquals(holdsBurst ? 1 : 0, w.topics(), w::toString);
              }
              return null;
            });
    PAssert.that(view.get(StreamView.TOPICS))
        .satisfies(
            topics -> {
              List<TopicEvent> all = StreamSupport.stream(topics.spliterator(), false).toList();
              Set<String> ids = all.stream().map(TopicEvent::topicId).collect(Collectors.toSet());
              assertEquals(1, ids.size(), "one topic: " + all);
              assertEquals(1, all.stream().filter(TopicEvent::isNew).count(), all::toString);
              TopicEvent latest =
                  all.stream().max(java.util.Comparator.comparingInt(TopicEvent::size)).get();
              long fromBurst = latest.uids().stream().filter(burst::contains).count();
              assertTrue(fromBurst >= 20, "most of the burst: " + latest.uids());
              assertTrue(
                  fromBurst >= 0.8 * latest.uids().size(), "mostly the burst: " + latest.uids());
              assertEquals(latest.uids().size(), latest.size());
              return null;
            });
    PAssert.that(view.get(StreamView.FAILURES)).empty();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(
        1,
        dev.anomalystream.core.beam.MetricCounts.attempted(result, StreamView.class, "topics_new"));
  }

  @Test
  void everyMessageIsScoredOnceByTheWindowCentredOnIt(TestPipeline pipeline) {
    Random random = new Random(6);
    TestStream.Builder<Detection> builder = stream().advanceWatermarkTo(T0);
    Map<String, Instant> times = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      // every 17 s over 17 minutes, off the minute grid
      Instant t = T0.plus(Duration.standardSeconds(17L * i + 3));
      times.put("m-" + i, t);
      builder = builder.addElements(at(t, "m-" + i, i % 7 == 0, randomUnit(random)));
      if (i % 10 == 9) {
        builder = builder.advanceWatermarkTo(t);
      }
    }
    TestStream<Detection> events = builder.advanceWatermarkToInfinity();
    Map<String, Long> centredStart = new HashMap<>();
    times.forEach(
        (uid, t) -> {
          for (long start = t.getMillis() / 60_000 * 60_000 - 9 * 60_000L;
              start <= t.getMillis();
              start += 60_000) {
            if (CentredWindow.isCentredOn(start, start + 600_000, t.getMillis(), 60_000)) {
              centredStart.put(uid, start);
            }
          }
        });

    PCollectionTuple view = pipeline.apply(events).apply(streamView());
    PAssert.that(view.get(StreamView.WINDOW_SCORES))
        .satisfies(
            scores -> {
              Map<String, Integer> perUid = new HashMap<>();
              for (WindowScore s : scores) {
                perUid.merge(s.uid(), 1, Integer::sum);
                long start = s.windowStart().toEpochMilli();
                long t = times.get(s.uid()).getMillis();
                assertEquals(centredStart.get(s.uid()), start, s::toString);
                // the centred window: the message within a slide of its middle
                assertTrue(Math.abs(start + 300_000 - t) <= 30_000, s::toString);
                assertTrue(Double.isFinite(s.score()) && s.score() >= 0, s::toString);
                assertTrue(s.clusters() >= 1, s::toString);
              }
              assertEquals(times.keySet(), perUid.keySet());
              assertTrue(perUid.values().stream().allMatch(n -> n == 1), perUid::toString);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
