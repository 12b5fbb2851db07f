package dev.anomalystream.core.options;

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
}
