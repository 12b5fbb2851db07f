package dev.anomalystream.core.dataset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable message ids. A uid is derived only from what identifies a message in the corpus (its
 * split, its line and its text), never from time or randomness, so re-running the ingest or
 * retrying a bundle publishes the same uid and the detector's id-attribute deduplication works.
 */
public final class MessageUids {
  private MessageUids() {}

  /**
   * {@code <split>-<line>-<hash>}: readable (the line points back at the source) and tied to the
   * text (a changed line gets a new uid). The hash is the first 12 hex digits of SHA-256.
   */
  public static String uid(String split, long lineNumber, String text) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha256.update((split + '\n' + lineNumber + '\n' + text).getBytes(StandardCharsets.UTF_8));
    String hash = HexFormat.of().formatHex(sha256.digest(), 0, 6);
    return split + '-' + String.format("%06d", lineNumber) + '-' + hash;
  }
}
