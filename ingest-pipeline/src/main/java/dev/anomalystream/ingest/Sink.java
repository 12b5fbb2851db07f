package dev.anomalystream.ingest;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Where the ingest pipeline sends its messages ({@code --sink}). */
public enum Sink {
  /** Google Cloud Pub/Sub (or its emulator): attributes uid, label, split, event_time. */
  PUBSUB,
  /** Kafka ({@code --bootstrapServers}): key uid, value text, headers label, split, event_time. */
  KAFKA;

  /**
   * Parses a user's {@code --sink} value in any case; also how Beam options read it (the message
   * names the choices).
   */
  @JsonCreator
  public static Sink parseOption(String value) {
    for (Sink sink : values()) {
      if (value != null && sink.name().equalsIgnoreCase(value.trim())) {
        return sink;
      }
    }
    throw new IllegalArgumentException("unknown sink '" + value + "': use pubsub or kafka");
  }
}
