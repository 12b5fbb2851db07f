package dev.anomalystream.core.online;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What the detector learned since its model version took over: embeddings of messages the kNN score
 * also searches, next to the trained reference. Bounded by count (the oldest learned leaves first)
 * and by age (an entry older than the maximum age, in event time, leaves). Search is exact: a few
 * thousand entries cost a millisecond a message, less than the embedding.
 *
 * <p>Plain and single-threaded: the Beam stage rebuilds one from its state and feeds it in order.
 */
public final class LearningMemory {
  private final int capacity;
  private final long maxAgeMillis;
  private final ArrayDeque<MemoryEntry> entries = new ArrayDeque<>();
  private long newestMillis = Long.MIN_VALUE;

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
    float[] top = new float[Math.min(k, entries.size())];
    int held = 0;
    Iterator<MemoryEntry> iterator = entries.iterator();
    while (iterator.hasNext()) {
      float[] vector = iterator.next().vector();
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
