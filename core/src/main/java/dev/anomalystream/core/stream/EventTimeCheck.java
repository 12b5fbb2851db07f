package dev.anomalystream.core.stream;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a message's {@code event_time} can place it in the stream view's windows. The source
 * stamps each message with its publish (or Kafka record) time and the watermark follows those
 * stamps; an event_time more than the allowed lateness before that stamp would land in windows that
 * have already closed, and one far after it would claim windows that have not begun. Both are
 * refused with the reason instead of being silently dropped or holding windows open.
 */
public final class EventTimeCheck {
  /** How far an event_time may lie after its publish time: clocks of publishers drift. */
  public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

  private EventTimeCheck() {}

  /**
   * Why {@code eventTime} cannot be used, or null when it can.
   *
   * @param stamp the time the source stamped the message with
   */
  public static String problem(Instant eventTime, Instant stamp, Duration allowedLateness) {
    if (eventTime.isAfter(stamp.plus(FUTURE_TOLERANCE))) {
      return "event_time "
          + eventTime
          + " is "
          + Duration.between(stamp, eventTime).toSeconds()
          + " s after the message was published ("
          + stamp
          + "), beyond the "
          + FUTURE_TOLERANCE.toMinutes()
          + " min tolerated for publishers' clocks";
    }
    if (eventTime.isBefore(stamp.minus(allowedLateness))) {
      return "event_time "
          + eventTime
          + " is "
          + Duration.between(eventTime, stamp).toSeconds()
          + " s before the message was published ("
          + stamp
          + "), beyond the allowed lateness of "
          + allowedLateness.toMinutes()
          + " min: its windows have closed";
    }
    return null;
  }
}
