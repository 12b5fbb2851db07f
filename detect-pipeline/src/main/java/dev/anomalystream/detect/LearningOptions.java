package dev.anomalystream.detect;

import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.online.LearningMode;
import dev.anomalystream.core.online.OnlineLearner;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.stream.TopicTracker;
import java.time.Duration;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Online learning, shared by the streaming detector and scripts/evaluate-stream. */
public interface LearningOptions extends StreamViewOptions, DecisionOptions {
  @Description(
      "What the detector learns while it runs, into a memory its kNN score also searches (or into"
          + " Half-Space Trees with --score=hst): none; normal (messages judged normal); topics"
          + " (those, and the members of an emerging topic once it has persisted, so a new subject"
          + " stops alerting while single off-topic messages never join); all (every message, the"
          + " Half-Space Trees paper's way: steady spam teaches it to stay quiet)")
  @Default.Enum("NONE")
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
