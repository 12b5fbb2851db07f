package dev.anomalystream.core.online;

import java.io.Serializable;

/**
 * One message the detector learned.
 *
 * @param uid the message's uid
 * @param vector its L2-normalised embedding (not copied: entries are written once, never changed)
 * @param timeMillis its event time, from which its age counts
 * @param topicId the adopted topic it was learned with, or null when learned on sight
 */
public record MemoryEntry(String uid, float[] vector, long timeMillis, String topicId)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bytes it holds, roughly: the vector and the strings. */
  public long approximateBytes() {
    return 64L
        + 4L * vector.length
        + 2L * uid.length()
        + (topicId == null ? 0 : 2L * topicId.length());
  }
}
