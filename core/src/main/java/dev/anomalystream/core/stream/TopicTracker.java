package dev.anomalystream.core.stream;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns each window's topic candidates into topic events, so a topic that overlapping and
 * consecutive windows keep finding is one event that grows, not a new one per window. A candidate
 * continues a live topic when enough of its messages already belong to it (the windows overlap),
 * or, for a later window with new messages, when its centre points the same way. A topic that no
 * window has found for a whole window length is closed; the state stays bounded.
 *
 * <p>Plain and serialisable: the Beam stage keeps one in state and calls {@link #observe} once per
 * window firing, in the order the windows fire.
 */
public final class TopicTracker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The most uids a topic keeps and reports; its size keeps counting past it. */
  public static final int MAX_UIDS = 1000;

  /** Share of a candidate's messages already in a topic that makes it the same topic. */
  static final double SAME_MESSAGES = 0.3;

  /** Cosine similarity of centres that makes a candidate with new messages the same topic. */
  static final double SAME_DIRECTION = 0.85;

  /** Most live topics held; the oldest close first beyond it. */
  static final int MAX_LIVE_TOPICS = 200;

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * When online learning adopts a topic as a new normal subject.
   *
   * @param persistence how long it must have been found (from its first window's end to its
   *     latest's)
   * @param minSize the fewest messages it must hold
   */
  public record Adoption(Duration persistence, int minSize) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final List<LiveTopic> live = new ArrayList<>();
  private final Adoption adoption;
  private long topicsCreated;

  /** A tracker that adopts no topic. */
  public TopicTracker() {
    this(null);
  }

  /**
   * @param adoption when a topic is adopted, or null for never
   */
  public TopicTracker(Adoption adoption) {
    this.adoption = adoption;
  }

  private static final class LiveTopic implements Serializable {
    private static final long serialVersionUID = 1L;
    final String id;
    final Instant firstWindowEnd;
    Instant lastWindowEnd;
    final Set<String> uids = new LinkedHashSet<>();

    /**
     * Its messages past {@link #MAX_UIDS}, with the end of the latest window that held each: kept
     * while a later window can still hold them (less than a window length), so overlapping windows
     * do not count them again.
     */
    final Map<String, Instant> overflow = new HashMap<>();

    int size;
    boolean adopted;
    float[] centroid;
    List<String> terms;
    List<String> examples;

    LiveTopic(String id, Instant firstWindowEnd) {
      this.id = id;
      this.firstWindowEnd = firstWindowEnd;
    }

    boolean holds(String uid) {
      return uids.contains(uid) || overflow.containsKey(uid);
    }
  }

  /**
   * Takes one window's candidates and says which topics began or grew.
   *
   * @param windowEnd the window's end
   * @param windowLength its length: a topic unseen for that long is closed
   * @param candidates the window's topic candidates, largest first
   * @param modelVersion the model version of the window
   * @return an event for each topic created or grown by this window
   */
  public List<TopicEvent> observe(
      Instant windowEnd,
      Duration windowLength,
      List<TopicCandidate> candidates,
      String modelVersion) {
    live.removeIf(topic -> topic.lastWindowEnd.plus(windowLength).isBefore(windowEnd));
    // a message is in windows whose ends lie less than a window length apart
    live.forEach(
        topic ->
            topic.overflow.values().removeIf(seen -> !seen.plus(windowLength).isAfter(windowEnd)));
    List<TopicEvent> events = new ArrayList<>();
    List<LiveTopic> touched = new ArrayList<>();
    for (TopicCandidate candidate : candidates) {
      LiveTopic topic = matching(candidate, touched);
      boolean isNew = topic == null;
      if (isNew) {
        topic = new LiveTopic(topicId(windowEnd, ++topicsCreated), windowEnd);
        live.add(topic);
      }
      touched.add(topic);
      int before = topic.size;
      for (String uid : candidate.uids()) {
        if (topic.uids.contains(uid)) {
          continue;
        }
        if (topic.overflow.put(uid, windowEnd) != null) {
          continue;
        }
        topic.size++;
        if (topic.uids.size() < MAX_UIDS) {
          topic.overflow.remove(uid);
          topic.uids.add(uid);
        }
      }
      if (windowEnd.isAfter(topic.lastWindowEnd == null ? Instant.MIN : topic.lastWindowEnd)) {
        topic.lastWindowEnd = windowEnd;
      }
      topic.centroid = candidate.centroid();
      boolean adoptedNow = !topic.adopted && adopts(topic);
      topic.adopted |= adoptedNow;
      if (isNew || topic.size > before || adoptedNow) {
        topic.terms = candidate.terms();
        topic.examples = candidate.examples();
        events.add(
            new TopicEvent(
                topic.id,
                topic.firstWindowEnd,
                topic.lastWindowEnd,
                topic.size,
                List.copyOf(topic.uids),
                topic.terms,
                topic.examples,
                modelVersion,
                isNew,
                topic.adopted,
                adoptedNow));
      }
    }
    while (live.size() > MAX_LIVE_TOPICS) {
      live.remove(0);
    }
    return events;
  }

  private boolean adopts(LiveTopic topic) {
    return adoption != null
        && topic.size >= adoption.minSize()
        && !Duration.between(topic.firstWindowEnd, topic.lastWindowEnd)
            .minus(adoption.persistence())
            .isNegative();
  }

  /** Live topics, for tests and metrics. */
  public int liveTopics() {
    return live.size();
  }

  /**
   * The live topic {@code candidate} continues, or null; one topic takes one candidate a window.
   */
  private LiveTopic matching(TopicCandidate candidate, List<LiveTopic> taken) {
    LiveTopic best = null;
    double bestShare = 0;
    for (LiveTopic topic : live) {
      if (taken.contains(topic)) {
        continue;
      }
      long shared = candidate.uids().stream().filter(topic::holds).count();
      double share = (double) shared / candidate.size();
      if (share > bestShare) {
        bestShare = share;
        best = topic;
      }
    }
    if (best != null && bestShare >= SAME_MESSAGES) {
      return best;
    }
    LiveTopic closest = null;
    double closestSimilarity = SAME_DIRECTION;
    for (LiveTopic topic : live) {
      if (taken.contains(topic)) {
        continue;
      }
      double similarity = Vectors.dot(candidate.centroid(), topic.centroid);
      if (similarity >= closestSimilarity) {
        closestSimilarity = similarity;
        closest = topic;
      }
    }
    return closest;
  }

  /** Readable and unique within a tracker: the first window's end and a running number. */
  private static String topicId(Instant windowEnd, long sequence) {
    return "topic-" + ID_TIME.format(windowEnd) + "-" + sequence;
  }
}
