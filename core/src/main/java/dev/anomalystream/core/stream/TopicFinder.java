package dev.anomalystream.core.stream;

import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.cluster.HdbscanResult;
import dev.anomalystream.core.text.TermStatistics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds topics among one window's anomalies: HDBSCAN (the project's, exact) with a small minimum
 * cluster size groups anomalies that are about the same thing; anomalies in no group stay single
 * anomalies. A group is described by the texts nearest its centre and by the terms that set it
 * apart from the training corpus (tf-idf against its document frequencies).
 *
 * <p>The anomalies are clustered together with a sample of the window's normal messages as
 * background, and a cluster is a topic when it holds at least the minimum of anomalies and they are
 * most of it. Without a background, a window whose anomalies are one burst and a few scattered
 * false alarms gave no topic at all: HDBSCAN (like the reference, without allow_single_cluster)
 * never selects the root, and the burst only ever sheds single points, so it never splits off as a
 * cluster of its own.
 */
public final class TopicFinder {
  /** Normal messages clustered with the anomalies as their background, at most. */
  public static final int MAX_BACKGROUND = 300;

  /** Texts quoted per topic. */
  public static final int EXAMPLES = 3;

  /** Terms listed per topic. */
  public static final int TERMS = 6;

  private final int minTopicSize;
  private final TermStatistics terms;

  /**
   * @param minTopicSize the fewest anomalies that make a topic (HDBSCAN's min_cluster_size)
   * @param terms the training corpus's term statistics, or null when the model has none (topics
   *     then list no terms)
   */
  public TopicFinder(int minTopicSize, TermStatistics terms) {
    if (minTopicSize < 2) {
      throw new IllegalArgumentException("a topic needs at least 2 messages, not " + minTopicSize);
    }
    this.minTopicSize = minTopicSize;
    this.terms = terms;
  }

  /** One anomaly of the window. */
  public record Anomaly(String uid, String text, float[] embedding) {}

  /** The topics among {@code anomalies} with no background (see the class comment). */
  public List<TopicCandidate> find(List<Anomaly> anomalies) {
    return find(anomalies, List.of());
  }

  /**
   * The topics among {@code anomalies}, largest first.
   *
   * @param background embeddings of the window's normal messages (at most {@link #MAX_BACKGROUND}
   *     of them are used, evenly spread over the list)
   */
  public List<TopicCandidate> find(List<Anomaly> anomalies, List<float[]> background) {
    if (anomalies.size() < minTopicSize) {
      return List.of();
    }
    List<float[]> points = new ArrayList<>(anomalies.size() + MAX_BACKGROUND);
    anomalies.forEach(anomaly -> points.add(anomaly.embedding()));
    int backgroundSize = Math.min(background.size(), MAX_BACKGROUND);
    for (int i = 0; i < backgroundSize; i++) {
      points.add(background.get((int) ((long) i * background.size() / backgroundSize)));
    }
    // min_samples below the cluster size, so a tight burst is a cluster and not a chain of noise
    int minSamples = Math.max(1, Math.min(minTopicSize - 1, 3));
    HdbscanResult fit =
        Hdbscan.fit(points.toArray(float[][]::new), new HdbscanParams(minTopicSize, minSamples));
    List<List<Anomaly>> groups = new ArrayList<>();
    int[] clusterSizes = new int[fit.clusterCount()];
    for (int c = 0; c < fit.clusterCount(); c++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < points.size(); i++) {
      int label = fit.labels()[i];
      if (label < 0) {
        continue;
      }
      clusterSizes[label]++;
      if (i < anomalies.size()) {
        groups.get(label).add(anomalies.get(i));
      }
    }
    List<List<Anomaly>> topics = new ArrayList<>();
    for (int c = 0; c < groups.size(); c++) {
      // a group of normal traffic that holds a few false alarms is no topic
      if (2 * groups.get(c).size() > clusterSizes[c]) {
        topics.add(groups.get(c));
      }
    }
    return topics.stream()
        .filter(group -> group.size() >= minTopicSize)
        .map(this::describe)
        .sorted(
            Comparator.comparingInt(TopicCandidate::size)
                .reversed()
                .thenComparing(candidate -> candidate.uids().get(0)))
        .toList();
  }

  private TopicCandidate describe(List<Anomaly> group) {
    float[] centroid = Vectors.normalisedMean(group.stream().map(Anomaly::embedding).toList());
    List<Anomaly> nearestFirst =
        group.stream()
            .sorted(
                Comparator.comparingDouble((Anomaly a) -> -Vectors.dot(a.embedding(), centroid))
                    .thenComparing(Anomaly::uid))
            .toList();
    List<String> examples =
        nearestFirst.stream().limit(EXAMPLES).map(Anomaly::text).distinct().toList();
    List<String> texts = group.stream().map(Anomaly::text).toList();
    return new TopicCandidate(
        group.stream().map(Anomaly::uid).sorted().toList(),
        centroid,
        examples,
        terms == null ? List.of() : terms.topTerms(texts, TERMS));
  }
}
