package dev.anomalystream.core.alert;

import java.io.Serializable;
import java.time.Duration;

/** Exponential backoff: how many attempts, and how long to wait before each retry. */
public record Backoff(int attempts, Duration initialDelay, double multiplier)
    implements Serializable {
  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
    }
  }

  /** The wait before retry number {@code retry} (1 = the first retry). */
  public Duration delayBefore(int retry) {
    return Duration.ofMillis((long) (initialDelay.toMillis() * Math.pow(multiplier, retry - 1)));
  }
}
