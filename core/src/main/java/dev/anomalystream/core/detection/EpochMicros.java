package dev.anomalystream.core.detection;

import java.time.Instant;

/**
 * Instants as epoch microseconds, the form the schema types of this package hold times in: the
 * precision BigQuery's TIMESTAMP keeps, so a value written and read back is the value encoded.
 */
final class EpochMicros {
  private static final long PER_SECOND = 1_000_000L;

  private EpochMicros() {}

  /** {@code instant} truncated to the microsecond. */
  static long of(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano() / 1_000);
  }

  static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, PER_SECOND), Math.floorMod(micros, PER_SECOND) * 1_000L);
  }
}
