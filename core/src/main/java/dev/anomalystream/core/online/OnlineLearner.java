package dev.anomalystream.core.online;

import dev.anomalystream.core.model.KnnScorer;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The detector's online learning, for one model version at a time: each scored message is scored
 * again against what was learned since the version took over (the kNN score over the trained
 * reference and the {@link LearningMemory} together, or {@link HalfSpaceTrees}), decided, and then
 * learned or not as the {@link LearningMode} says, within a {@link LearningBudget} per window.
 * Anomalies wait a while in case a topic they belong to is adopted ({@link #adopt}); isolated ones
 * leave unlearned. A message of another model version starts everything over: the retraining
 * learned from the same history.
 *
 * <p>Plain and single-threaded. The Beam stage keeps its state: {@link #drainChanges} says what to
 * write after each call, and {@link #restore} rebuilds a learner from what was written.
 */
public final class OnlineLearner {
  /**
   * How the learner learns.
   *
   * @param mode which messages it learns
   * @param memorySize the most entries the memory holds
   * @param memoryAge the oldest an entry may get (event time)
   * @param learnedPerWindow the most entries learned per budget window
   * @param budgetWindow the budget's window
   * @param pendingSize the most anomalies waiting for their topic's adoption
   * @param pendingAge how long an anomaly waits (event time)
   * @param topicNeighbours how many of an adopted topic's members a message is scored against
   * @param topicFalseAlarmRate the share of an adopted topic's own members its threshold flags
   */
  public record Settings(
      LearningMode mode,
      int memorySize,
      Duration memoryAge,
      int learnedPerWindow,
      Duration budgetWindow,
      int pendingSize,
      Duration pendingAge,
      int topicNeighbours,
      double topicFalseAlarmRate)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Settings {
      if (memorySize < 1 || pendingSize < 0 || learnedPerWindow < 0) {
        throw new IllegalArgumentException(
            "memory size must be positive, pending size and learning budget not negative; were "
                + memorySize
                + ", "
                + pendingSize
                + ", "
                + learnedPerWindow);
      }
      if (mode == LearningMode.AUTO) {
        throw new IllegalArgumentException("--learn=auto is resolved at launch, before learning");
      }
      if (topicNeighbours < 1) {
        throw new IllegalArgumentException(
            "a topic's neighbour count must be positive, was " + topicNeighbours);
      }
      if (!(topicFalseAlarmRate >= 0 && topicFalseAlarmRate < 1)) {
        throw new IllegalArgumentException(
            "the topic false-alarm rate must be in [0, 1), was " + topicFalseAlarmRate);
      }
    }
  }

  /**
   * What a model version scores with.
   *
   * @param version the version
   * @param k the kNN score's neighbour count
   * @param knnThreshold the kNN threshold (used unless {@code hst} decides)
   * @param hst Half-Space Trees that decide instead of the kNN score, or null
   */
  public record Scoring(String version, int k, double knnThreshold, HstModel hst) {}

  /**
   * An adopted topic that a message over the global threshold falls within.
   *
   * @param topicId the topic
   * @param score the message's kNN score against the topic's learned members
   * @param threshold the topic's own threshold
   */
  public record TopicMatch(String topicId, double score, double threshold) {}

  /**
   * The learner's verdict on one message.
   *
   * @param knnScore the kNN score over the trained reference and the memory
   * @param hstScore the Half-Space Trees score, or null when they do not decide
   * @param anomalous the decision
   * @param learned whether the message was learned as it passed
   * @param topic the adopted topic that judged it normal although its kNN score is over the
   *     threshold, or null
   */
  public record Outcome(
      double knnScore, Double hstScore, boolean anomalous, boolean learned, TopicMatch topic) {}

  /**
   * What changed since the last drain, for the Beam stage's state.
   *
   * @param reset everything learned was dropped (a new version): clear the state first
   * @param learned entries learned, in order (into the memory, or the trees' latest window)
   * @param windowTurned the trees' latest window became their reference: their learned entries so
   *     far are now {@link #hstReference}, and the latest window is empty
   * @param pendingAdded anomalies that began waiting
   * @param pendingRewritten waiting anomalies were learned: write {@link #pending} anew
   */
  public record Changes(
      boolean reset,
      List<MemoryEntry> learned,
      boolean windowTurned,
      List<MemoryEntry> pendingAdded,
      boolean pendingRewritten) {
    public boolean any() {
      return reset
          || windowTurned
          || pendingRewritten
          || !learned.isEmpty()
          || !pendingAdded.isEmpty();
    }
  }

  private final Settings settings;
  private final LearningMemory memory;
  private final LearningBudget budget;
  private final LinkedHashMap<String, MemoryEntry> pending = new LinkedHashMap<>();
  private Scoring scoring;
  private HalfSpaceTrees trees;
  private List<MemoryEntry> hstReference = new ArrayList<>();
  private List<MemoryEntry> hstLatest = new ArrayList<>();

  /** Uids learned lately, so a message is learned once; the oldest are forgotten past a bound. */
  private final LinkedHashSet<String> learnedUids = new LinkedHashSet<>();

  private boolean reset;
  private List<MemoryEntry> learned = new ArrayList<>();
  private boolean windowTurned;
  private List<MemoryEntry> pendingAdded = new ArrayList<>();
  private boolean pendingRewritten;

  public OnlineLearner(Settings settings) {
    this.settings = settings;
    this.memory = new LearningMemory(settings.memorySize(), settings.memoryAge());
    this.budget = new LearningBudget(settings.learnedPerWindow(), settings.budgetWindow());
  }

  public Settings settings() {
    return settings;
  }

  /** The version learned for, or null before the first message. */
  public String version() {
    return scoring == null ? null : scoring.version();
  }

  /**
   * Rebuilds the state written for {@code scoring}'s version.
   *
   * @param learnedEntries the memory's entries, or with trees the latest window's
   * @param hstReferenceEntries the trees' reference window (empty: the starting window)
   * @param pendingEntries anomalies waiting for a topic
   * @param budgetCounts the learning budget's counts
   */
  public void restore(
      Scoring scoring,
      List<MemoryEntry> learnedEntries,
      List<MemoryEntry> hstReferenceEntries,
      List<MemoryEntry> pendingEntries,
      Map<Long, Integer> budgetCounts) {
    clearAll();
    this.scoring = scoring;
    // a bag need not keep order: learning order is event order closely enough
    List<MemoryEntry> ordered = new ArrayList<>(learnedEntries);
    ordered.sort(Comparator.comparingLong(MemoryEntry::timeMillis));
    if (scoring.hst() != null) {
      hstReference = new ArrayList<>(hstReferenceEntries);
      hstLatest = new ArrayList<>(ordered);
      trees = scoring.hst().restore(vectors(hstReference), vectors(hstLatest));
      hstReference.forEach(entry -> learnedUids.add(entry.uid()));
    } else {
      ordered.forEach(memory::add);
    }
    ordered.forEach(entry -> learnedUids.add(entry.uid()));
    pendingEntries.stream()
        .sorted(Comparator.comparingLong(MemoryEntry::timeMillis))
        .filter(entry -> !learnedUids.contains(entry.uid()))
        .forEach(this::hold);
    budget.restore(budgetCounts);
    drainChanges();
  }

  /**
   * Scores one message again with what was learned, decides, and learns it if the mode says so.
   *
   * @param scoring the version that scored it (another than the learner's starts over)
   * @param uid the message's uid
   * @param vector its embedding
   * @param timeMillis its event time
   * @param referenceSimilarities its similarities to its k nearest trained reference vectors
   * @param trainedAnomalous the trained model's decision (anomalies may later join an adopted
   *     topic)
   */
  public Outcome observe(
      Scoring scoring,
      String uid,
      float[] vector,
      long timeMillis,
      float[] referenceSimilarities,
      boolean trainedAnomalous) {
    switchTo(scoring);
    memory.expire(timeMillis);
    double knnScore =
        LearningMemory.combinedScore(
            referenceSimilarities, memory.nearestSimilarities(vector, scoring.k()), scoring.k());
    Double hstScore = trees == null ? null : trees.anomalyScore(vector);
    TopicMatch topic = null;
    boolean anomalous;
    if (hstScore != null) {
      anomalous = hstScore > scoring.hst().threshold();
    } else {
      anomalous = knnScore > scoring.knnThreshold();
      if (anomalous) {
        topic = withinAdoptedTopic(vector);
        anomalous = topic == null;
      }
    }
    // what an adopted topic explains is not learned on sight: it waits, as the trained model's
    // anomaly it is, and joins the topic only if the topic tracker finds it there. Learned as the
    // topic's member on sight, a few single off-topic messages near a spread topic would widen it
    // for the next ones.
    boolean learnedNow =
        topic == null
            && settings.mode().learnsOnSight(anomalous)
            && learn(new MemoryEntry(uid, vector, timeMillis, null));
    if (!learnedNow && trainedAnomalous && settings.mode() == LearningMode.TOPICS) {
      wait(new MemoryEntry(uid, vector, timeMillis, null));
    }
    return new Outcome(knnScore, hstScore, anomalous, learnedNow, topic);
  }

  /**
   * The adopted topic whose own threshold {@code vector} is within (the nearest, when several are),
   * or null. A topic judges on few neighbours ({@link Settings#topicNeighbours}): a single
   * off-topic message inside a spread subject's cloud is as far from the subject on average as its
   * members are from each other, but not from its nearest few.
   */
  private TopicMatch withinAdoptedTopic(float[] vector) {
    TopicMatch best = null;
    for (String topicId : memory.topics()) {
      double threshold =
          memory.topicThreshold(
              topicId, settings.topicNeighbours(), settings.topicFalseAlarmRate());
      double score =
          KnnScorer.meanDistance(
              memory.topicSimilarities(vector, topicId, settings.topicNeighbours()));
      if (score <= threshold && (best == null || score < best.score())) {
        best = new TopicMatch(topicId, score, threshold);
      }
    }
    return best;
  }

  /**
   * Learns the waiting anomalies of an adopted topic (within the budget).
   *
   * @param version the version whose anomalies made the topic; another version's topic is ignored
   * @param topicId the topic
   * @param uids its messages
   * @param timeMillis when it was adopted (event time: the end of its latest window)
   * @return how many were learned
   */
  public int adopt(String version, String topicId, List<String> uids, long timeMillis) {
    if (settings.mode() != LearningMode.TOPICS
        || scoring == null
        || !scoring.version().equals(version)) {
      return 0;
    }
    int count = 0;
    for (String uid : uids) {
      MemoryEntry waiting = pending.get(uid);
      if (waiting == null || !budget.take(timeMillis)) {
        continue;
      }
      pending.remove(uid);
      pendingRewritten = true;
      learnNow(new MemoryEntry(uid, waiting.vector(), waiting.timeMillis(), topicId));
      count++;
    }
    return count;
  }

  /**
   * Drops what aged out by {@code nowMillis} (event time): memory entries past their age, and
   * anomalies that waited too long. Not recorded as a change: the caller compacts its state.
   *
   * @return whether anything left
   */
  public boolean expire(long nowMillis) {
    int left = memory.expire(nowMillis);
    long oldestWaiting = nowMillis - settings.pendingAge().toMillis();
    boolean waitedOut = pending.values().removeIf(entry -> entry.timeMillis() < oldestWaiting);
    return left > 0 || waitedOut;
  }

  /** What changed since the last call; the record starts empty again. */
  public Changes drainChanges() {
    Changes changes = new Changes(reset, learned, windowTurned, pendingAdded, pendingRewritten);
    reset = false;
    learned = new ArrayList<>();
    windowTurned = false;
    pendingAdded = new ArrayList<>();
    pendingRewritten = false;
    return changes;
  }

  /** The memory's entries (oldest first), what a compaction writes. */
  public List<MemoryEntry> memoryEntries() {
    return trees == null ? memory.entries() : List.copyOf(hstLatest);
  }

  /** The trees' reference window as learned (empty while the starting window serves). */
  public List<MemoryEntry> hstReference() {
    return List.copyOf(hstReference);
  }

  public List<MemoryEntry> pending() {
    return new ArrayList<>(pending.values());
  }

  public Map<Long, Integer> budgetCounts() {
    return budget.counts();
  }

  /** Entries the memory holds (the trees' windows' points with Half-Space Trees). */
  public int size() {
    return trees == null ? memory.size() : hstReference.size() + hstLatest.size();
  }

  /** Bytes the learned state holds, roughly: memory, trees' windows and waiting anomalies. */
  public long approximateBytes() {
    long bytes = memory.approximateBytes();
    for (MemoryEntry entry : hstReference) {
      bytes += entry.approximateBytes();
    }
    for (MemoryEntry entry : hstLatest) {
      bytes += entry.approximateBytes();
    }
    for (MemoryEntry entry : pending.values()) {
      bytes += entry.approximateBytes();
    }
    return bytes;
  }

  private void switchTo(Scoring next) {
    if (scoring != null && scoring.version().equals(next.version())) {
      return;
    }
    boolean hadState = scoring != null;
    clearAll();
    scoring = next;
    trees = next.hst() == null ? null : next.hst().start();
    reset = hadState || reset;
  }

  private void clearAll() {
    memory.clear();
    budget.clear();
    pending.clear();
    learnedUids.clear();
    hstReference = new ArrayList<>();
    hstLatest = new ArrayList<>();
    trees = null;
    reset = true;
  }

  private boolean learn(MemoryEntry entry) {
    if (learnedUids.contains(entry.uid()) || !budget.take(entry.timeMillis())) {
      return false;
    }
    learnNow(entry);
    return true;
  }

  private void learnNow(MemoryEntry entry) {
    learnedUids.add(entry.uid());
    if (learnedUids.size() > 2 * (settings.memorySize() + settings.pendingSize())) {
      learnedUids.remove(learnedUids.iterator().next());
    }
    learned.add(entry);
    if (trees == null) {
      memory.add(entry);
      return;
    }
    hstLatest.add(entry);
    if (trees.learn(entry.vector())) {
      hstReference = hstLatest;
      hstLatest = new ArrayList<>();
      windowTurned = true;
    }
  }

  private void wait(MemoryEntry entry) {
    hold(entry);
    pendingAdded.add(entry);
  }

  /**
   * Keeps an anomaly waiting, within the count and age bounds. What leaves is not recorded as a
   * change: the state's copy is compacted now and then, and {@link #restore} applies the bounds.
   */
  private void hold(MemoryEntry entry) {
    pending.put(entry.uid(), entry);
    long oldestKept = entry.timeMillis() - settings.pendingAge().toMillis();
    pending.values().removeIf(waiting -> waiting.timeMillis() < oldestKept);
    while (pending.size() > settings.pendingSize()) {
      pending.remove(pending.keySet().iterator().next());
    }
  }

  private static List<float[]> vectors(List<MemoryEntry> entries) {
    return entries.stream().map(MemoryEntry::vector).toList();
  }
}
