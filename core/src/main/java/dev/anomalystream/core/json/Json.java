package dev.anomalystream.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper of the project. A mapper is costly to build and thread-safe once
 * configured, so every reader and writer of JSON (rows, dead letters, corpus lines, model files)
 * shares this one. Never reconfigure it: a use that needs other settings derives its own with
 * {@link ObjectMapper#copy()}.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
