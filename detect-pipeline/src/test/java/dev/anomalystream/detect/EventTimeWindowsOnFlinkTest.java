package dev.anomalystream.detect;

import static dev.anomalystream.detect.DetectFromKafkaEndToEndTest.record;
import static dev.anomalystream.detect.DetectFromKafkaEndToEndTest.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anomalystream.core.testing.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event time on Flink: the detector's Kafka source stamps each message with its record's timestamp
 * (the ingest's event time) and moves the watermark with them, so an event-time window closes once
 * the records have passed its end by the source's allowed delay, not when the wall clock says. What
 * the stream view's sliding windows will stand on.
 */
@Tag("slow-runner")
class EventTimeWindowsOnFlinkTest {
  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  /** Written by the embedded cluster's task threads, in this JVM. */
  private static final Queue<String> CLOSED_WINDOWS = new ConcurrentLinkedQueue<>();

  @Test
  void windowsGroupMessagesByRecordTimeAndClose() throws Exception {
    KAFKA.createTopic("timed", 1);
    // all produced within milliseconds: by processing time they would share one window
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
    KAFKA.produce(
        List.of(
            record("timed", "a", utf8("first"), start.plusSeconds(5), start.toString()),
            record("timed", "b", utf8("second"), start.plusSeconds(20), start.toString()),
            record("timed", "c", utf8("third"), start.plusSeconds(40), start.toString()),
            record("timed", "d", utf8("later"), start.plusSeconds(600), start.toString())));

    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=1",
                "--attachedMode=false",
                "--checkpointingInterval=2000")
            .as(FlinkPipelineOptions.class);
    options.setStreaming(true);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            "ReadKafkaMessages",
            new ReadKafkaMessages(KAFKA.bootstrapServers(), "timed", "windows-test", "uid"))
        .get(ReadKafkaMessages.MESSAGES)
        .apply("Minutes", Window.into(FixedWindows.of(org.joda.time.Duration.standardMinutes(1))))
        .apply(
            "CountPerMinute", Combine.globally(Count.<PubsubMessage>combineFn()).withoutDefaults())
        .apply("RecordClosedWindows", ParDo.of(new RecordFn()));
    PipelineResult result = pipeline.run();
    try {
      await("both minutes' windows close")
          .atMost(Duration.ofSeconds(120))
          .until(CLOSED_WINDOWS::size, n -> n >= 2);
      assertEquals(
          Set.of(
              minute(start) + ": 3 ON_TIME",
              minute(start.plus(Duration.ofMinutes(10))) + ": 1 ON_TIME"),
          Set.copyOf(CLOSED_WINDOWS));
    } finally {
      result.cancel();
    }
  }

  private static String minute(Instant start) {
    return org.joda.time.Instant.ofEpochMilli(start.toEpochMilli()).toString();
  }

  private static final class RecordFn extends DoFn<Long, Void> {
    @ProcessElement
    public void process(@Element Long count, IntervalWindow window, PaneInfo pane) {
      CLOSED_WINDOWS.add(window.start() + ": " + count + " " + pane.getTiming());
    }
  }
}
