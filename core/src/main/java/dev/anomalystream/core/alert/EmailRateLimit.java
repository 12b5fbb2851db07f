package dev.anomalystream.core.alert;

import java.io.Serializable;
import java.time.Instant;

/**
 * The hourly cap on alert emails, as a value: which clock hour is being counted and how many emails
 * it has sent. Kept in Beam state by the alerting step, so the cap holds across bundles and
 * workers.
 */
public record EmailRateLimit(long hour, int sent) implements Serializable {
  public static final EmailRateLimit FRESH = new EmailRateLimit(Long.MIN_VALUE, 0);

  /** Whether one more email may go out at {@code now} under a cap of {@code maxPerHour}. */
  public boolean allows(Instant now, int maxPerHour) {
    return hourOf(now) != hour || sent < maxPerHour;
  }

  /** The state after one more email was sent at {@code now}. */
  public EmailRateLimit afterSending(Instant now) {
    long current = hourOf(now);
    return current == hour ? new EmailRateLimit(hour, sent + 1) : new EmailRateLimit(current, 1);
  }

  private static long hourOf(Instant now) {
    return Math.floorDiv(now.getEpochSecond(), 3600);
  }
}
