package dev.anomalystream.core.dataset;

import java.util.Locale;
import java.util.Optional;

/**
 * The six classes of the emotion corpus, in the order of the Hugging Face label ids ({@code
 * dair-ai/emotion}: 0 sadness … 5 surprise).
 */
public enum EmotionLabel {
  SADNESS,
  JOY,
  LOVE,
  ANGER,
  FEAR,
  SURPRISE;

  /** The Hugging Face label id, 0..5. */
  public int id() {
    return ordinal();
  }

  /** The name as the original corpus files write it, e.g. {@code sadness}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a label name ({@code joy}) or a Hugging Face id ({@code 1}); empty when unknown. */
  public static Optional<EmotionLabel> parse(String nameOrId) {
    if (nameOrId == null) {
      return Optional.empty();
    }
    String value = nameOrId.trim();
    if (value.matches("\\d{1,2}")) {
      int id = Integer.parseInt(value);
      return id < values().length ? Optional.of(values()[id]) : Optional.empty();
    }
    for (EmotionLabel label : values()) {
      if (label.label().equalsIgnoreCase(value)) {
        return Optional.of(label);
      }
    }
    return Optional.empty();
  }
}
