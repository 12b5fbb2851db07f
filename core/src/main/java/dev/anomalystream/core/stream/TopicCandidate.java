package dev.anomalystream.core.stream;

import java.io.Serializable;
import java.util.List;

/**
 * A group of one window's anomalies that are about the same thing: the raw material of a topic
 * event, before {@link TopicTracker} decides whether it continues one already seen.
 *
 * @param uids its messages, sorted
 * @param centroid the L2-normalised mean of their embeddings
 * @param examples up to a few texts, those nearest the centroid first
 * @param terms the terms that set it apart from the training corpus, strongest first
 */
public record TopicCandidate(
    List<String> uids, float[] centroid, List<String> examples, List<String> terms)
    implements Serializable {
  public TopicCandidate {
    uids = List.copyOf(uids);
    examples = List.copyOf(examples);
    terms = List.copyOf(terms);
  }

  public int size() {
    return uids.size();
  }
}
