package dev.anomalystream.core.options;

import java.util.List;

/** Reading string options whose empty value means "not given". */
public final class OptionValues {
  private OptionValues() {}

  /**
   * Null for an absent or blank value, else the value trimmed: {@code --outputTable=} (as a
   * template or a script passes an unset parameter) must mean the same as leaving it out.
   */
  public static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * The entries trimmed, blank ones dropped; empty for null. Beam splits a list option at commas
   * but keeps {@code --alertTo=a, b} as {@code "a", " b"} and {@code --alertTo=} as one blank.
   */
  public static List<String> nonBlank(List<String> values) {
    return values == null
        ? List.of()
        : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }
}
