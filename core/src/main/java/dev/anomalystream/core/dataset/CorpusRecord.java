package dev.anomalystream.core.dataset;

import java.io.Serializable;
import java.util.Objects;

/**
 * One message read from a corpus file, with where it came from.
 *
 * @param source the file it was read from (its name or URI)
 * @param lineNumber 1-based line (or row) number within the source
 * @param split the corpus split ({@code train}, {@code validation}, {@code test}, or a name given)
 * @param text the message text, valid UTF-8, never empty
 * @param label the emotion label, or null when the source has none
 */
public record CorpusRecord(
    String source, long lineNumber, String split, String text, EmotionLabel label)
    implements Serializable {

  public CorpusRecord {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(text, "text");
  }

  /** The stable message id: the same record gives the same uid in every run. */
  public String uid() {
    return MessageUids.uid(split, lineNumber, text);
  }
}
