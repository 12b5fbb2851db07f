package dev.anomalystream.core.dataset;

import dev.anomalystream.core.failure.Failure;
import java.time.Instant;
import java.util.Map;

/** A corpus line that cannot become a message, with the reason and the bytes as they were. */
public record RejectedLine(String source, long lineNumber, String reason, byte[] raw) {

  /** The dead-letter form: stage {@code read}, attributes naming the file and line. */
  public Failure toFailure(Instant now) {
    return Failure.builder()
        .setStage("read")
        .setReason(reason)
        .setPayload(raw)
        .setAttributes(Map.of("source", source, "line", Long.toString(lineNumber)))
        .setTime(now)
        .build();
  }
}
