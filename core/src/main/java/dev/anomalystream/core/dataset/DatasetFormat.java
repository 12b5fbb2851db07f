package dev.anomalystream.core.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;
import java.util.regex.Pattern;

/** The file formats the corpus comes in. */
public enum DatasetFormat {
  /** The original distribution: one {@code text;label} per line, label a name. */
  EMOTION_TXT,
  /**
   * Hugging Face JSON lines: objects with {@code text} and {@code label} (an id 0..5 or a name).
   */
  JSONL,
  /** Hugging Face CSV export: a header row naming {@code text} and {@code label}. */
  CSV,
  /** One text per line, no label (e.g. a list of off-topic sentences). */
  LINES;

  private static final Pattern EMOTION_LINE =
      Pattern.compile(".*;(sadness|joy|love|anger|fear|surprise)\\s*$");

  /**
   * The format for a file name (compression suffixes ignored). A {@code .txt} file is {@link
   * #EMOTION_TXT} when its first line ends in {@code ;<label>}, else {@link #LINES}.
   */
  public static DatasetFormat detect(String fileName, String firstLine) {
    String name =
        fileName.toLowerCase(Locale.ROOT).replaceFirst("\\.(gz|gzip|bz2|zip|deflate)$", "");
    if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    return firstLine != null && EMOTION_LINE.matcher(firstLine).matches() ? EMOTION_TXT : LINES;
  }

  /**
   * Parses a user's {@code --format} value (any case, {@code -} for {@code _}); {@code auto} gives
   * null (detect per file). Also how Beam options read it; the message has no cause because Jackson
   * reports the root cause's message, which would hide the choices.
   */
  @JsonCreator
  public static DatasetFormat parseOption(String value) {
    if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("auto")) {
      return null;
    }
    String name = value.trim().replace('-', '_');
    for (DatasetFormat format : values()) {
      if (format.name().equalsIgnoreCase(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset format '" + value + "': use auto, emotion_txt, jsonl, csv or lines");
  }
}
