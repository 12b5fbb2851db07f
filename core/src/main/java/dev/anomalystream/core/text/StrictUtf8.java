package dev.anomalystream.core.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that refuses instead of repairing: bytes that are not valid UTF-8 give null, never
 * text with replacement characters, so a wrong encoding is seen and reported where it enters.
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** The text the bytes encode, or null when they are not valid UTF-8. */
  public static String decodeOrNull(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
