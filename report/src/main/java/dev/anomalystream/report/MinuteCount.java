package dev.anomalystream.report;

import java.time.Instant;

/**
 * Messages a detector processed in one minute and how many of them it flagged.
 *
 * @param minute the start of the minute, UTC
 */
public record MinuteCount(Instant minute, long messages, long anomalies) {

  /** The share of the minute's messages flagged, 0 for a minute without messages. */
  public double anomalyRate() {
    return messages == 0 ? 0.0 : (double) anomalies / messages;
  }
}
