package dev.anomalystream.detect;

import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.online.LearningMode;
import dev.anomalystream.core.online.OnlineLearner;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.options.GroupOptions;
import dev.anomalystream.core.stream.TopicTracker;
import java.time.Duration;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Online learning, shared by the streaming detector and scripts/evaluate-stream. */
public interface LearningOptions extends StreamViewOptions, DecisionOptions {
  /** For the launch's resolution of --learn=auto. */
  Logger LOG = LoggerFactory.getLogger(LearningOptions.class);

  @Description(
      "What the detector learns while it runs, into a memory its kNN score also searches (or into"
          + " Half-Space Trees with --score=hst): none; normal (messages judged normal); topics"
          + " (those, and the members of an emerging topic once it has persisted, so a new subject"
          + " stops alerting while single off-topic messages never join); all (every message, the"
          + " Half-Space Trees paper's way: steady spam teaches it to stay quiet); auto (the"
          + " default: topics where the stream view runs and the model decides on the kNN score,"
          + " none otherwise)")
  @Default.Enum("AUTO")
  LearningMode getLearn();

  void setLearn(LearningMode value);

  @Description("Most messages the learning memory holds; the oldest learned leave first")
  @Default.Integer(5000)
  int getMemorySize();

  void setMemorySize(int value);

  @Description("Oldest a learned message may get (event time), in hours")
  @Default.Integer(24)
  int getMemoryHours();

  void setMemoryHours(int value);

  @Description(
      "Most messages learned per --windowMinutes of event time, so a flood cannot rewrite the"
          + " memory in one window; default: a tenth of --memorySize")
  Integer getMaxLearnedPerWindow();

  void setMaxLearnedPerWindow(Integer value);

  @Description(
      "With --learn=topics: how long an emerging topic must have been found (first to latest"
          + " window end), in minutes, before it is adopted and its messages learned")
  @Default.Integer(20)
  int getTopicPersistenceMinutes();

  void setTopicPersistenceMinutes(int value);

  @Description("With --learn=topics: the fewest messages an emerging topic holds to be adopted")
  @Default.Integer(20)
  int getTopicMinSize();

  void setTopicMinSize(int value);

  @Description(
      "With --learn=topics: a message over the kNN threshold is still normal within an adopted"
          + " topic's own threshold (a subject that became normal is often more spread out than the"
          + " traffic the model was calibrated on): its mean cosine distance to this many of the"
          + " topic's nearest members")
  @Default.Integer(10)
  int getTopicNeighbours();

  void setTopicNeighbours(int value);

  @Description(
      "With --learn=topics: the share of an adopted topic's own messages that still alert: its"
          + " threshold is this quantile of its members' leave-one-out scores (--topicNeighbours)")
  @Default.Double(0.15)
  double getTopicFalseAlarmRate();

  void setTopicFalseAlarmRate(double value);

  /**
   * Resolves {@code --learn=auto} in the options (topics where the stream view runs to adopt topics
   * and {@code detector} decides on the kNN score, none otherwise) and refuses a mode that learns
   * into the kNN memory when the model decides on something else.
   *
   * @return the mode the job learns with
   */
  static LearningMode resolveLearning(
      PipelineOptions options, AnomalyDetector detector, boolean streamView) {
    LearningOptions learning = options.as(LearningOptions.class);
    boolean knnDecides =
        detector.rule() == DecisionRule.SCORE && detector.scoreKind() == ScoreKind.KNN;
    if (learning.getLearn() == LearningMode.AUTO) {
      // one memory beside the global model would overrule per-group models' verdicts
      String groupAttribute = options.as(GroupOptions.class).getGroupAttribute();
      boolean groups = groupAttribute != null && !groupAttribute.isBlank();
      String why =
          groups
              ? "per-group models serve (--groupAttribute), and the memory is the global model's"
              : !streamView
                  ? "the stream view, which adopts topics, is off"
                  : !knnDecides || learning.getScore() == ScoreKind.HST
                      ? "model version "
                          + detector.modelVersion()
                          + " decides "
                          + detector.describeDecision()
                      : null;
      LearningMode resolved = why == null ? LearningMode.TOPICS : LearningMode.NONE;
      LOG.info(
          "--learn=auto: {} ({})",
          resolved.id(),
          why == null
              ? "the stream view adopts topics and the model decides on the kNN score"
              : why);
      learning.setLearn(resolved);
    }
    if (learning.getLearn() != LearningMode.NONE
        && learning.getScore() != ScoreKind.HST
        && !knnDecides) {
      throw new IllegalArgumentException(
          "--learn="
              + learning.getLearn().id()
              + " learns into a memory the kNN score searches, and model version "
              + detector.modelVersion()
              + " decides "
              + detector.describeDecision()
              + ": add --score=knn (or --score=hst), or --learn=none");
    }
    return learning.getLearn();
  }

  /**
   * Whether online learning was asked for by name (--learn other than auto and none, or
   * --score=hst), before the launch resolves auto.
   */
  static boolean learningRequested(PipelineOptions options) {
    LearningOptions learning = options.as(LearningOptions.class);
    return (learning.getLearn() != LearningMode.AUTO && learning.getLearn() != LearningMode.NONE)
        || learning.getScore() == ScoreKind.HST;
  }

  /** Whether the detector has an online stage: it learns, or Half-Space Trees decide. */
  static boolean learningEnabled(PipelineOptions options) {
    LearningOptions learning = options.as(LearningOptions.class);
    return learning.getLearn() != LearningMode.NONE || learning.getScore() == ScoreKind.HST;
  }

  /** When the stream view's topic tracker adopts a topic: with --learn=topics only. */
  static TopicTracker.Adoption topicAdoption(PipelineOptions options) {
    LearningOptions learning = options.as(LearningOptions.class);
    if (learning.getLearn() != LearningMode.TOPICS) {
      return null;
    }
    if (learning.getTopicMinSize() < 1 || learning.getTopicPersistenceMinutes() < 0) {
      throw new IllegalArgumentException(
          "--topicMinSize must be positive and --topicPersistenceMinutes not negative, were "
              + learning.getTopicMinSize()
              + " and "
              + learning.getTopicPersistenceMinutes());
    }
    return new TopicTracker.Adoption(
        Duration.ofMinutes(learning.getTopicPersistenceMinutes()), learning.getTopicMinSize());
  }

  /** The learner's settings, checked. */
  static OnlineLearner.Settings learnerSettings(PipelineOptions options) {
    LearningOptions learning = options.as(LearningOptions.class);
    if (learning.getMemorySize() < 1 || learning.getMemoryHours() < 1) {
      throw new IllegalArgumentException(
          "--memorySize and --memoryHours must be positive, were "
              + learning.getMemorySize()
              + " and "
              + learning.getMemoryHours());
    }
    Duration window =
        Duration.ofMinutes(learning.getWindowMinutes() > 0 ? learning.getWindowMinutes() : 10);
    int perWindow =
        learning.getMaxLearnedPerWindow() != null
            ? learning.getMaxLearnedPerWindow()
            : Math.max(1, learning.getMemorySize() / 10);
    // an anomaly waits as long as its topic may take to be adopted: the persistence, the windows
    // around it, and the lateness the windows allow
    Duration pendingAge =
        Duration.ofMinutes(
            learning.getTopicPersistenceMinutes()
                + 2L * window.toMinutes()
                + learning.getAllowedLatenessMinutes());
    return new OnlineLearner.Settings(
        learning.getLearn(),
        learning.getMemorySize(),
        Duration.ofHours(learning.getMemoryHours()),
        perWindow,
        window,
        learning.getMemorySize(),
        pendingAge,
        learning.getTopicNeighbours(),
        learning.getTopicFalseAlarmRate());
  }
}
