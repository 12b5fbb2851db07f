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

  /** Normal messages clustered with the anomalies, at most (HDBSCAN is quadratic). */
  static final int MAX_BACKGROUND = 1000;

  /** Cosine similarity that keeps an anomaly in a lone group when there are no normal messages. */
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

  /** The topics among {@code anomalies} alone, largest first. */
  public List<TopicCandidate> find(List<Anomaly> anomalies) {
    return find(anomalies, List.of());
  }

  /**
   * The topics among {@code anomalies}, largest first, found against {@code background}: the
   * window's other messages (a sample of their embeddings). Clustering the anomalies alone fails
   * exactly when it matters: a burst that is most of a window's anomalies is the whole data set,
   * and HDBSCAN never selects the root (reference allow_single_cluster=False), so the burst would
   * be noise. Among the window's normal messages the burst is a dense group of its own. A group is
   * a topic when at least {@code minTopicSize} of its members, and most of them, are anomalies; its
   * messages are those anomalies.
   */
  public List<TopicCandidate> find(List<Anomaly> anomalies, List<float[]> background) {
    if (anomalies.size() < minTopicSize) {
      return List.of();
    }
    int backgroundUsed = Math.min(background.size(), MAX_BACKGROUND);
    float[][] points = new float[anomalies.size() + backgroundUsed][];
    for (int i = 0; i < anomalies.size(); i++) {
      points[i] = anomalies.get(i).embedding();
    }
    for (int i = 0; i < backgroundUsed; i++) {
      points[anomalies.size() + i] = background.get(i);
    }
    // the lone group's bar: alike as two anomalies of a burst, not merely as two sentences
    double loneSimilarity = LONE_TOPIC_SIMILARITY;
    if (backgroundUsed > 0) {
      points = centred(points, Vectors.mean(background.subList(0, backgroundUsed)));
      loneSimilarity =
          normalSimilarityQuantile(
              java.util.Arrays.copyOfRange(points, anomalies.size(), points.length));
    }
    // min_samples below the cluster size, so a tight burst is a cluster and not a chain of noise
    int minSamples = Math.max(1, Math.min(minTopicSize - 1, 3));
    HdbscanResult fit = Hdbscan.fit(points, new HdbscanParams(minTopicSize, minSamples));
    int clusters = fit.clusterCount();
    List<List<Anomaly>> groups = new ArrayList<>();
    int[] members = new int[clusters];
    for (int c = 0; c < clusters; c++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < points.length; i++) {
      int label = fit.labels()[i];
      if (label >= 0) {
        members[label]++;
        if (i < anomalies.size()) {
          groups.get(label).add(anomalies.get(i));
        }
      }
    }
    List<List<Anomaly>> topicGroups = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      List<Anomaly> group = groups.get(c);
      if (group.size() >= minTopicSize && 2 * group.size() > members[c]) {
        topicGroups.add(group);
      }
    }
    if (topicGroups.isEmpty()) {
      List<Anomaly> lone =
          loneGroup(anomalies, java.util.Arrays.copyOf(points, anomalies.size()), loneSimilarity);
      if (lone.size() >= minTopicSize) {
        topicGroups.add(new ArrayList<>(lone));
      }
    }
    gatherStragglers(anomalies, topicGroups);
    List<TopicCandidate> topics = new ArrayList<>();
    topicGroups.forEach(group -> topics.add(describe(group)));
    topics.sort(
        Comparator.comparingInt(TopicCandidate::size)
            .reversed()
            .thenComparing(candidate -> candidate.uids().get(0)));
    return topics;
  }

  /**
   * The points less the mean of the window's normal messages, scaled back to unit length. Sentence
   * embeddings share a strong common direction (every tweet here is "i feel ..."; the mean cosine
   * between two of them is about 0.66, above that between two texts of one burst), which drowns the
   * differences density clustering needs; without it what sets a group apart from the window's
   * normal traffic stands out. (Without normal messages there is nothing to centre on: the
   * anomalies' own mean would be the burst's direction, and removing it would scatter it.)
   */
  private static float[][] centred(float[][] points, float[] normalMean) {
    float[][] centred = new float[points.length][];
    for (int i = 0; i < points.length; i++) {
      float[] v = points[i].clone();
      for (int d = 0; d < v.length; d++) {
        v[d] -= normalMean[d];
      }
      centred[i] = Vectors.normalised(v);
    }
    return centred;
  }

  /**
   * Anomalies HDBSCAN left as noise join the topic whose centre they are nearest, when they are no
   * farther from it than its own farthest member: HDBSCAN keeps a group's dense core, and a burst
   * of messages of one kind (questions on varied subjects) has a looser rim that belongs to it.
   */
  private static void gatherStragglers(List<Anomaly> anomalies, List<List<Anomaly>> groups) {
    if (groups.isEmpty()) {
      return;
    }
    java.util.Set<Anomaly> grouped = new java.util.HashSet<>();
    groups.forEach(grouped::addAll);
    List<float[]> centres = new ArrayList<>();
    double[] reach = new double[groups.size()];
    for (int g = 0; g < groups.size(); g++) {
      float[] centre =
          Vectors.normalisedMean(groups.get(g).stream().map(Anomaly::embedding).toList());
      centres.add(centre);
      reach[g] =
          groups.get(g).stream()
              .mapToDouble(a -> Vectors.dot(a.embedding(), centre))
              .min()
              .orElse(1);
    }
    List<List<Anomaly>> joining = new ArrayList<>();
    groups.forEach(group -> joining.add(new ArrayList<>()));
    for (Anomaly anomaly : anomalies) {
      if (grouped.contains(anomaly)) {
        continue;
      }
      int best = -1;
      double bestSimilarity = Double.NEGATIVE_INFINITY;
      for (int g = 0; g < centres.size(); g++) {
        double similarity = Vectors.dot(anomaly.embedding(), centres.get(g));
        if (similarity >= reach[g] && similarity > bestSimilarity) {
          best = g;
          bestSimilarity = similarity;
        }
      }
      if (best >= 0) {
        joining.get(best).add(anomaly);
      }
    }
    for (int g = 0; g < groups.size(); g++) {
      groups.get(g).addAll(joining.get(g));
    }
  }

  /**
   * The anomalies similar to the centre of the densest neighbourhood: the one with the most others
   * at {@link #LONE_TOPIC_SIMILARITY}, then those at that similarity to their normalised mean.
   */
  private static List<Anomaly> loneGroup(
      List<Anomaly> anomalies, float[][] vectors, double similarity) {
    int n = anomalies.size();
    int[] neighbours = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (Vectors.dot(vectors[i], vectors[j]) >= similarity) {
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
    float[] seed = vectors[densest];
    float[] centre =
        Vectors.normalisedMean(
            java.util.Arrays.stream(vectors)
                .filter(v -> Vectors.dot(v, seed) >= similarity)
                .toList());
    List<Anomaly> group = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (Vectors.dot(vectors[i], centre) >= similarity) {
        group.add(anomalies.get(i));
      }
    }
    return group;
  }

  /**
   * How alike two of the window's normal messages are at most, bar one pair in a hundred: the 0.99
   * quantile of their pairwise cosine similarities (at most 200 of them), in the centred space the
   * lone group is looked for in.
   */
  private static double normalSimilarityQuantile(float[][] normal) {
    int n = Math.min(normal.length, 200);
    if (n < 2) {
      return LONE_TOPIC_SIMILARITY;
    }
    double[] similarities = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        similarities[k++] = Vectors.dot(normal[i], normal[j]);
      }
    }
    java.util.Arrays.sort(similarities);
    return similarities[(int) Math.floor(0.99 * (similarities.length - 1))];
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
