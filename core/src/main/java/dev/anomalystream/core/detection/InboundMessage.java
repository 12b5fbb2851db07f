package dev.anomalystream.core.detection;

import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A decoded message entering the detector.
 *
 * @param uid the message id (the uid attribute, else the Pub/Sub message id)
 * @param text the UTF-8 text
 * @param label the label attribute, or null
 * @param eventTime when the message entered the stream (the event_time attribute), or null
 * @param publishTime when Pub/Sub received it
 */
@DefaultCoder(InboundMessageCoder.class)
public record InboundMessage(
    String uid, String text, String label, Instant eventTime, Instant publishTime)
    implements Serializable {
  public InboundMessage {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(publishTime, "publishTime");
    // the precision every sink keeps (BigQuery TIMESTAMP), so a coder round trip is exact
    publishTime = publishTime.truncatedTo(ChronoUnit.MICROS);
    eventTime = eventTime == null ? null : eventTime.truncatedTo(ChronoUnit.MICROS);
  }
}
