package dev.anomalystream.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The rules for group values (the {@code --groupAttribute} of a message, a history row's group):
 * which values may name a group model, and the directory a group's model is stored under.
 */
public final class GroupNames {
  /** The longest group value, in characters (code points), that may name a group model. */
  public static final int MAX_CHARS = 128;

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private GroupNames() {}

  /**
   * Why a group value cannot name a group model, or null when it can (or is null: no group). A
   * value holding an unpaired surrogate is refused as not UTF-8: it has no UTF-8 form, and the
   * stores and tables a group name reaches hold UTF-8.
   */
  public static String problem(String group) {
    if (group == null) {
      return null;
    }
    if (group.isBlank()) {
      return "empty group";
    }
    int length = group.codePointCount(0, group.length());
    if (length > MAX_CHARS) {
      return "group has " + length + " characters, more than " + MAX_CHARS;
    }
    for (int i = 0; i < group.length(); i++) {
      char c = group.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < group.length()
          && Character.isLowSurrogate(group.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "group is not valid UTF-8 (unpaired surrogate)";
      }
    }
    return null;
  }

  /** Whether the value may name a group model. */
  public static boolean valid(String group) {
    return group != null && problem(group) == null;
  }

  /**
   * The directory a group's model is stored under, a function of the value alone: the value itself
   * when it is a plain name (letters, digits, '.', '_', '-', starting with a letter or digit, at
   * most 64 characters), else {@code _} and the first 32 hex digits of its UTF-8 sha256. Plain
   * names never start with {@code _}, so the two forms never collide.
   *
   * @throws IllegalArgumentException when the value cannot name a group model
   */
  public static String directoryName(String group) {
    String problem = group == null ? "no group" : problem(group);
    if (problem != null) {
      throw new IllegalArgumentException("invalid group value: " + problem);
    }
    if (PLAIN.matcher(group).matches()) {
      return group;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(group.getBytes(StandardCharsets.UTF_8));
      return "_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
