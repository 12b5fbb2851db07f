package dev.anomalystream.core.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --name=value} arguments of a command-line tool, checked against the names it knows so a
 * misspelt option is an error instead of being ignored.
 */
public final class CommandLine {
  private final String tool;
  private final Map<String, String> values = new LinkedHashMap<>();

  /**
   * @throws IllegalArgumentException naming the argument that is not {@code --name=value} or whose
   *     name the tool does not know
   */
  public CommandLine(String tool, String[] args, Set<String> knownNames) {
    this.tool = tool;
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 3) {
        throw new IllegalArgumentException(tool + ": expected --name=value, got '" + arg + "'");
      }
      String name = arg.substring(2, equals);
      if (!knownNames.contains(name)) {
        throw new IllegalArgumentException(
            tool + ": unknown option --" + name + "; known: " + new TreeSet<>(knownNames));
      }
      values.put(name, arg.substring(equals + 1));
    }
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(tool + ": --" + name + " is required");
    }
    return value;
  }

  public String get(String name, String defaultValue) {
    String value = values.get(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }

  /** Null when the option was not given. */
  public String optional(String name) {
    return get(name, null);
  }

  public int getInt(String name, int defaultValue) {
    String value = optional(name);
    try {
      return value == null ? defaultValue : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          tool + ": --" + name + " must be a whole number, got '" + value + "'", e);
    }
  }

  public long getLong(String name, long defaultValue) {
    String value = optional(name);
    try {
      return value == null ? defaultValue : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          tool + ": --" + name + " must be a whole number, got '" + value + "'", e);
    }
  }

  public Double getDouble(String name, Double defaultValue) {
    String value = optional(name);
    try {
      return value == null ? defaultValue : Double.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          tool + ": --" + name + " must be a number, got '" + value + "'", e);
    }
  }
}
