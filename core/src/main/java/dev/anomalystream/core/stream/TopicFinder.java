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
 * <p>HDBSCAN, like the reference library without {@code allow_single_cluster}, never returns the
 * whole data as one cluster: a window whose anomalies hold a single burst (the usual emerging
 * topic) and scattered others would find nothing. When it finds no group, the densest neighbourhood
 * at cosine similarity {@value #LONE_TOPIC_SIMILARITY} is the window's one topic if it holds enough
 * anomalies.
 */
public final class TopicFinder {
  /** Texts quoted per topic. */
  public static final int EXAMPLES = 3;

  /** Terms listed per topic. */
  public static final int TERMS = 6;

  /** Cosine similarity that keeps an anomaly in a lone group (when HDBSCAN finds none). */
  static final double LONE_TOPIC_SIMILARITY = 0.7;

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

  /** The topics among {@code anomalies}, largest first. */
  public List<TopicCandidate> find(List<Anomaly> anomalies) {
    if (anomalies.size() < minTopicSize) {
      return List.of();
    }
    float[][] points = anomalies.stream().map(Anomaly::embedding).toArray(float[][]::new);
    // min_samples below the cluster size, so a tight burst is a cluster and not a chain of noise
    int minSamples = Math.max(1, Math.min(minTopicSize - 1, 3));
    HdbscanResult fit = Hdbscan.fit(points, new HdbscanParams(minTopicSize, minSamples));
    List<List<Anomaly>> groups = new ArrayList<>();
    for (int c = 0; c < fit.clusterCount(); c++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < anomalies.size(); i++) {
      int label = fit.labels()[i];
      if (label >= 0) {
        groups.get(label).add(anomalies.get(i));
      }
    }
    if (groups.isEmpty()) {
      groups.add(loneGroup(anomalies));
    }
    return groups.stream()
        .filter(group -> group.size() >= minTopicSize)
        .map(this::describe)
        .sorted(
            Comparator.comparingInt(TopicCandidate::size)
                .reversed()
                .thenComparing(candidate -> candidate.uids().get(0)))
        .toList();
  }

  /**
   * The anomalies similar to the centre of the densest neighbourhood: the one with the most others
   * at {@link #LONE_TOPIC_SIMILARITY}, then those at that similarity to their normalised mean.
   */
  private static List<Anomaly> loneGroup(List<Anomaly> anomalies) {
    int n = anomalies.size();
    int[] neighbours = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (Vectors.dot(anomalies.get(i).embedding(), anomalies.get(j).embedding())
            >= LONE_TOPIC_SIMILARITY) {
          neighbours[i]++;
          neighbours[j]++;
        }
      }
    }
    int densest = 0;
    for (int i = 1; i < n; i++) {
      if (neighbours[i] > neighbours[densest]) {
        densest = i;
      }
    }
    float[] seed = anomalies.get(densest).embedding();
    float[] centre =
        Vectors.normalisedMean(
            anomalies.stream()
                .map(Anomaly::embedding)
                .filter(e -> Vectors.dot(e, seed) >= LONE_TOPIC_SIMILARITY)
                .toList());
    return anomalies.stream()
        .filter(a -> Vectors.dot(a.embedding(), centre) >= LONE_TOPIC_SIMILARITY)
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
        nearestFirst.stream().map(Anomaly::text).distinct().limit(EXAMPLES).toList();
    List<String> texts = group.stream().map(Anomaly::text).toList();
    return new TopicCandidate(
        group.stream().map(Anomaly::uid).sorted().toList(),
        centroid,
        examples,
        terms == null ? List.of() : terms.topTerms(texts, TERMS));
  }
}
