package dev.anomalystream.core.beam;

import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;

/**
 * Panes that close a fixed processing time after their first element: how the alert digests decide
 * when to send (the NDJSON files batch by processing time too, in {@link StreamingJsonFiles}).
 *
 * <p>Why processing time rather than event-time windows: an event-time window fires when the
 * watermark passes its end, and a Pub/Sub source's watermark only advances as messages are
 * acknowledged. The DirectRunner never acknowledges (apache/beam#21523), so locally event-time
 * windows would never fire; and for alert emails, "every N seconds of wall clock" is what an
 * operator expects anyway.
 */
public final class ProcessingTimeFlush {
  private ProcessingTimeFlush() {}

  public static <T> Window<T> every(Duration interval) {
    return Window.<T>into(new GlobalWindows())
        .triggering(
            Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(interval)))
        .discardingFiredPanes()
        .withAllowedLateness(Duration.ZERO)
        // Beam fires the on-time pane even when empty: a Combine downstream would then emit its
        // empty accumulator when the window closes (a drain), an alert digest of no anomalies
        .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY);
  }
}
