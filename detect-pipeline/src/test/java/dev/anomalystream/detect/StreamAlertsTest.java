package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anomalystream.core.alert.StreamAlert;
import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream view's alerts: one drift alert per run of drifting windows (not one per window), in
 * window order whatever order the windows arrive in, and one per topic event.
 */
@ExtendWith(TestPipelineExtension.class)
class StreamAlertsTest {
  private static final Instant START = Instant.parse("2026-11-30T00:00:00Z");

  private static TimestampedValue<WindowSummary> window(int minute, boolean drift) {
    Instant end = START.plus(Duration.ofMinutes(minute));
    WindowSummary summary =
        new WindowSummary(
            end.minus(Duration.ofMinutes(10)),
            end,
            100,
            drift ? 20 : 1,
            new DriftDecision(drift ? 9 : 1, 4.16, 0.5, 0.2, drift),
            0,
            "v1",
            "ON_TIME",
            0);
    // as the windowing gives it: the window's last millisecond
    return TimestampedValue.of(summary, org.joda.time.Instant.ofEpochMilli(end.toEpochMilli() - 1));
  }

  @Test
  void aRunOfDriftingWindowsIsOneAlertWhateverTheArrivalOrder(TestPipeline pipeline) {
    boolean[] drifting = {false, true, true, true, false, false, true, true, false};
    List<TimestampedValue<WindowSummary>> windows = new ArrayList<>();
    for (int minute = 0; minute < drifting.length; minute++) {
      windows.add(window(10 + minute, drifting[minute]));
    }
    Collections.shuffle(windows, new Random(3));
    PCollection<WindowSummary> windowRows =
        pipeline.apply(
            "Windows",
            Create.timestamped(windows).withCoder(SerializableCoder.of(WindowSummary.class)));
    PCollection<TopicEvent> topicRows =
        pipeline.apply(
            "Topics",
            Create.of(
                    new TopicEvent(
                        "topic-1",
                        START.plus(Duration.ofMinutes(12)),
                        START.plus(Duration.ofMinutes(12)),
                        6,
                        List.of("a", "b", "c", "d", "e", "f"),
                        List.of("moons"),
                        List.of("how many moons"),
                        "v1",
                        true))
                .withCoder(SerializableCoder.of(TopicEvent.class)));
    PCollection<StreamAlert> alerts =
        StreamView.alerts(
            PCollectionTuple.of(StreamView.WINDOWS, windowRows).and(StreamView.TOPICS, topicRows));

    PAssert.that(alerts)
        .satisfies(
            all -> {
              List<String> drift =
                  StreamSupport.stream(all.spliterator(), false)
                      .filter(alert -> alert.kind() == StreamAlert.Kind.DRIFT)
                      .map(StreamAlert::headline)
                      .sorted()
                      .toList();
              assertEquals(2, drift.size(), drift::toString);
              // the runs begin at the windows ending 00:11 and 00:16
              assertEquals(true, drift.get(0).contains("to 2026-11-30T00:11:00Z"), drift::toString);
              assertEquals(true, drift.get(1).contains("to 2026-11-30T00:16:00Z"), drift::toString);
              long topics =
                  StreamSupport.stream(all.spliterator(), false)
                      .filter(alert -> alert.kind() == StreamAlert.Kind.TOPIC)
                      .count();
              assertEquals(1, topics);
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
