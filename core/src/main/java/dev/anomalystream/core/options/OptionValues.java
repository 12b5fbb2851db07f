package dev.anomalystream.core.options;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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

  /**
   * The constant of {@code type} named {@code value} in any case, for an enum option's
   * {@code @JsonCreator}; else an error naming the choices (without a cause: Jackson reports the
   * root cause's message, which would hide them).
   *
   * @param what the option in words, for the message ("message bus")
   */
  public static <E extends Enum<E>> E choice(Class<E> type, String value, String what) {
    E[] choices = type.getEnumConstants();
    for (E choice : choices) {
      if (value != null && choice.name().equalsIgnoreCase(value.trim())) {
        return choice;
      }
    }
    List<String> names =
        Arrays.stream(choices).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    String listed =
        names.size() == 1
            ? names.get(0)
            : String.join(", ", names.subList(0, names.size() - 1))
                + " or "
                + names.get(names.size() - 1);
    throw new IllegalArgumentException("unknown " + what + " '" + value + "': use " + listed);
  }
}
