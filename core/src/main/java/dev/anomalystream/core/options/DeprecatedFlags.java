package dev.anomalystream.core.options;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Old spellings of flags that users may still have in scripts: rewritten to the current name before
 * Beam parses the arguments, with one warning line per old flag used.
 */
public final class DeprecatedFlags {
  private final String tool;
  private final Map<String, String> currentNameByOldName;

  /**
   * @param tool the name the warnings start with
   * @param currentNameByOldName old flag name to current flag name, both without the dashes
   */
  public DeprecatedFlags(String tool, Map<String, String> currentNameByOldName) {
    this.tool = tool;
    this.currentNameByOldName = Map.copyOf(currentNameByOldName);
  }

  /** The arguments with every old flag renamed; warns on {@code warnings} once per old flag. */
  public String[] rewrite(String[] args, PrintStream warnings) {
    Set<String> used = new LinkedHashSet<>();
    String[] rewritten = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      rewritten[i] = args[i];
      if (!args[i].startsWith("--")) {
        continue;
      }
      int equals = args[i].indexOf('=');
      String name = equals < 0 ? args[i].substring(2) : args[i].substring(2, equals);
      String current = currentNameByOldName.get(name);
      if (current != null) {
        rewritten[i] = "--" + current + (equals < 0 ? "" : args[i].substring(equals));
        used.add(name);
      }
    }
    for (String name : used) {
      warnings.printf(
          "%s: --%s is deprecated, use --%s%n", tool, name, currentNameByOldName.get(name));
    }
    return rewritten;
  }
}
