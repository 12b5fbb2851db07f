package dev.anomalystream.core.options;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A message bus a pipeline writes to or reads from: ingest's {@code --sink}, the detector's {@code
 * --source}. One enum, so both flags take the same spellings.
 */
public enum MessageBus {
  /** Google Cloud Pub/Sub (or its emulator): attributes uid, label, split, event_time. */
  PUBSUB,
  /** Kafka ({@code --bootstrapServers}): key uid, value text, headers label, split, event_time. */
  KAFKA;

  /**
   * Parses a user's value in any case; also how Beam options read it (the message names the
   * choices).
   */
  @JsonCreator
  public static MessageBus parseOption(String value) {
    return OptionValues.choice(MessageBus.class, value, "message bus");
  }
}
