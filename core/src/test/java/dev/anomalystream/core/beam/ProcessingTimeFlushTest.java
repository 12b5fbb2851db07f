package dev.anomalystream.core.beam;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The panes ProcessingTimeFlush makes, seen through a global Combine as the alert digests use it:
 * one early pane per interval that had elements, and no empty pane when the window closes.
 */
@ExtendWith(TestPipelineExtension.class)
class ProcessingTimeFlushTest {
  private static final Duration INTERVAL = Duration.standardSeconds(60);
  private static final Duration PAST_INTERVAL = INTERVAL.plus(Duration.standardSeconds(1));

  @Test
  void eachIntervalIsOnePaneAndClosingTheWindowAddsNoEmptyOne(TestPipeline pipeline) {
    TestStream<String> elements =
        TestStream.create(StringUtf8Coder.of())
            .addElements("a", "b")
            .advanceProcessingTime(PAST_INTERVAL)
            .addElements("c")
            .advanceProcessingTime(PAST_INTERVAL)
            // an interval with nothing in it fires nothing
            .advanceProcessingTime(PAST_INTERVAL)
            .advanceWatermarkToInfinity();

    PCollection<Long> perPane =
        pipeline
            .apply(elements)
            .apply(ProcessingTimeFlush.every(INTERVAL))
            .apply(Combine.globally(Count.<String>combineFn()).withoutDefaults());

    PAssert.that(perPane).inEarlyGlobalWindowPanes().containsInAnyOrder(2L, 1L);
    PAssert.that(perPane).inOnTimePane(GlobalWindow.INSTANCE).empty();
    PAssert.that(perPane).containsInAnyOrder(2L, 1L);
    pipeline.run().waitUntilFinish();
  }
}
