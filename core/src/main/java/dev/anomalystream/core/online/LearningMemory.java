package dev.anomalystream.core.online;

import dev.anomalystream.core.model.KnnScorer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the detector learned since its model version took over: embeddings of messages the kNN score
 * also searches, next to the trained reference. Bounded by count (the oldest learned leaves first)
 * and by age (an entry older than the maximum age, in event time, leaves). Search is exact: a few
 * thousand entries cost a millisecond a message, less than the embedding.
 *
 * <p>Entries learned with an adopted topic also judge messages against that topic alone ({@link
 * #topicSimilarities}, {@link #topicThreshold}): a subject that became normal may be far more
 * spread out than the trained traffic its global threshold was calibrated on, so it gets a
 * threshold of its own, from its members' leave-one-out scores.
 *
 * <p>Plain and single-threaded: the Beam stage rebuilds one from its state and feeds it in order.
 */
public final class LearningMemory {
  /** Fewer members than this make no topic threshold: a quantile of a handful is noise. */
  public static final int MIN_TOPIC_MEMBERS = 10;

  /** At most this many members' leave-one-out scores make a topic's threshold. */
  static final int TOPIC_CALIBRATION_SAMPLE = 500;

  private final int capacity;
  private final long maxAgeMillis;
  private final ArrayDeque<MemoryEntry> entries = new ArrayDeque<>();
  private final Map<String, TopicThreshold> topicThresholds = new HashMap<>();
  private long newestMillis = Long.MIN_VALUE;

  /**
   * A topic's threshold and how many members it was computed from: it is computed again once the
   * count moved by a tenth, not on every member that comes or goes (a full memory replaces an entry
   * per message learned, and a quantile of hundreds barely moves by one).
   */
  private record TopicThreshold(double threshold, int members) {
    boolean stale(int memberCount) {
      return Math.abs(memberCount - members) > Math.max(1, members / 10);
    }
  }

  /**
   * @param capacity the most entries held, at least 1
   * @param maxAge the oldest an entry may get, positive
   */
  public LearningMemory(int capacity, Duration maxAge) {
    if (capacity < 1) {
      throw new IllegalArgumentException("the memory must hold at least 1 entry, was " + capacity);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException(
          "the memory's maximum age must be positive, was " + maxAge);
    }
    this.capacity = capacity;
    this.maxAgeMillis = maxAge.toMillis();
  }

  /**
   * Learns an entry; the oldest leave beyond the capacity, and every entry older than the maximum
   * age before the newest time seen.
   *
   * @return how many entries left
   */
  public int add(MemoryEntry entry) {
    entries.addLast(entry);
    newestMillis = Math.max(newestMillis, entry.timeMillis());
    int left = 0;
    while (entries.size() > capacity) {
      entries.removeFirst();
      left++;
    }
    return left + expire(newestMillis);
  }

  /**
   * Drops entries older than the maximum age at {@code nowMillis} (event time).
   *
   * @return how many left
   */
  public int expire(long nowMillis) {
    long oldestKept = nowMillis - maxAgeMillis;
    int before = entries.size();
    entries.removeIf(entry -> entry.timeMillis() < oldestKept);
    return before - entries.size();
  }

  public void clear() {
    entries.clear();
    topicThresholds.clear();
    newestMillis = Long.MIN_VALUE;
  }

  public int size() {
    return entries.size();
  }

  public int capacity() {
    return capacity;
  }

  /** The entries, oldest learned first. */
  public List<MemoryEntry> entries() {
    return new ArrayList<>(entries);
  }

  /** Bytes the entries hold, roughly. */
  public long approximateBytes() {
    long bytes = 0;
    for (MemoryEntry entry : entries) {
      bytes += entry.approximateBytes();
    }
    return bytes;
  }

  /**
   * The cosine similarities of {@code query} to its nearest entries, largest first: at most {@code
   * k}, fewer when the memory holds fewer.
   */
  public float[] nearestSimilarities(float[] query, int k) {
    return nearest(query, k, entries.size(), entry -> true);
  }

  /** The adopted topics the memory holds at least {@link #MIN_TOPIC_MEMBERS} entries of. */
  public Set<String> topics() {
    Map<String, Integer> counts = topicCounts();
    Set<String> topics = new LinkedHashSet<>();
    counts.forEach(
        (topic, count) -> {
          if (count >= MIN_TOPIC_MEMBERS) {
            topics.add(topic);
          }
        });
    return topics;
  }

  /**
   * The similarities of {@code query} to one adopted topic's nearest {@code min(k, members - 1)}
   * entries, largest first: the count its members' leave-one-out scores use, so the two compare.
   */
  public float[] topicSimilarities(float[] query, String topicId, int k) {
    int members = topicCounts().getOrDefault(topicId, 0);
    return nearest(query, topicK(k, members), members, entry -> topicId.equals(entry.topicId()));
  }

  /**
   * The topic score a member of {@code topicId} exceeds with probability {@code falseAlarmRate}:
   * that quantile of the leave-one-out scores of (at most {@value #TOPIC_CALIBRATION_SAMPLE} evenly
   * spaced) members against the topic's other members. NaN when the topic has fewer than {@link
   * #MIN_TOPIC_MEMBERS} members.
   */
  public double topicThreshold(String topicId, int k, double falseAlarmRate) {
    List<MemoryEntry> members =
        entries.stream().filter(entry -> topicId.equals(entry.topicId())).toList();
    if (members.size() < MIN_TOPIC_MEMBERS) {
      return Double.NaN;
    }
    String cacheKey = topicId + "|" + k + "|" + falseAlarmRate;
    TopicThreshold cached = topicThresholds.get(cacheKey);
    if (cached != null && !cached.stale(members.size())) {
      return cached.threshold();
    }
    int topicK = topicK(k, members.size());
    int step = Math.max(1, members.size() / TOPIC_CALIBRATION_SAMPLE);
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < members.size(); i += step) {
      MemoryEntry held = members.get(i);
      scores.add(
          KnnScorer.meanDistance(
              nearest(
                  held.vector(),
                  topicK,
                  members.size() - 1,
                  entry -> entry != held && topicId.equals(entry.topicId()))));
    }
    scores.sort(null);
    // the smallest score with at most falseAlarmRate of the scores above it
    int index =
        Math.min(scores.size() - 1, (int) Math.ceil((1.0 - falseAlarmRate) * scores.size()) - 1);
    double threshold = scores.get(Math.max(0, index));
    topicThresholds.put(cacheKey, new TopicThreshold(threshold, members.size()));
    return threshold;
  }

  private Map<String, Integer> topicCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (MemoryEntry entry : entries) {
      if (entry.topicId() != null) {
        counts.merge(entry.topicId(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static int topicK(int k, int members) {
    return Math.max(1, Math.min(k, members - 1));
  }

  /**
   * The similarities of {@code query} to its {@code k} nearest entries that {@code eligible}
   * admits, largest first; {@code atMost} bounds how many can be eligible.
   */
  private float[] nearest(float[] query, int k, int atMost, Predicate<MemoryEntry> eligible) {
    float[] top = new float[Math.max(0, Math.min(k, atMost))];
    int held = 0;
    Iterator<MemoryEntry> iterator = entries.iterator();
    while (iterator.hasNext()) {
      MemoryEntry entry = iterator.next();
      if (!eligible.test(entry)) {
        continue;
      }
      float[] vector = entry.vector();
      if (vector.length != query.length) {
        throw new IllegalArgumentException(
            "the memory holds "
                + vector.length
                + "-dimensional vectors, the query has "
                + query.length);
      }
      float similarity = dot(query, vector);
      if (held < top.length) {
        top[held++] = similarity;
        if (held == top.length) {
          Arrays.sort(top);
        }
      } else if (top.length > 0 && similarity > top[0]) {
        // top is ascending: replace the smallest and move it into place
        int at = 0;
        while (at + 1 < top.length && top[at + 1] < similarity) {
          top[at] = top[at + 1];
          at++;
        }
        top[at] = similarity;
      }
    }
    if (held < top.length) {
      top = Arrays.copyOf(top, held);
      Arrays.sort(top);
    }
    reverse(top);
    return top;
  }

  /**
   * The kNN score over the trained reference and the memory together: the mean cosine distance to
   * the k nearest of both.
   *
   * @param referenceSimilarities the query's similarities to its k nearest reference vectors
   * @param memorySimilarities its similarities to its nearest memory entries
   * @param k how many neighbours the score averages over
   */
  public static double combinedScore(
      float[] referenceSimilarities, float[] memorySimilarities, int k) {
    float[] all =
        Arrays.copyOf(
            referenceSimilarities, referenceSimilarities.length + memorySimilarities.length);
    System.arraycopy(
        memorySimilarities, 0, all, referenceSimilarities.length, memorySimilarities.length);
    Arrays.sort(all);
    int count = Math.min(k, all.length);
    double sum = 0;
    for (int i = all.length - count; i < all.length; i++) {
      sum += all[i];
    }
    // rounding can put a unit vector's self-similarity a hair above 1
    return Math.max(0.0, 1.0 - sum / count);
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static void reverse(float[] values) {
    for (int i = 0, j = values.length - 1; i < j; i++, j--) {
      float swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
