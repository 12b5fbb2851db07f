package dev.anomalystream.core.dataset;

import dev.anomalystream.core.failure.Failure;
import java.time.Instant;
import java.util.Map;

/**
 * A corpus line that cannot become a message, with the reason, the bytes as they were and the
 * exception behind it (null when a rule, not an exception, refused the line).
 */
public record RejectedLine(
    String source, long lineNumber, String reason, byte[] raw, Exception cause) {

  /** A line a rule refused: no exception. */
  public RejectedLine(String source, long lineNumber, String reason, byte[] raw) {
    this(source, lineNumber, reason, raw, null);
  }

  /** The dead-letter form: stage {@code read}, attributes naming the file and line. */
  public Failure toFailure(Instant now) {
    Failure.Builder failure =
        Failure.builder()
            .setStage("read")
            .setReason(reason)
            .setPayload(raw)
            .setAttributes(Map.of("source", source, "line", Long.toString(lineNumber)))
            .setTime(now);
    return cause == null ? failure.build() : failure.setException(cause).build();
  }
}
