package dev.anomalystream.core.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.KnnScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learner on made-up 32-d embeddings: a reference around three directions (the trained normal),
 * a new subject around a fourth, isolated off-topic messages in random directions.
 */
class OnlineLearnerTest {
  private static final int DIMENSION = 32;
  private static final int K = 5;
  private static final long MINUTE = 60_000L;

  private final Random random = new Random(5);
  private final float[][] subjects = SyntheticEmbeddings.uniform(random, 4, DIMENSION);
  private final KnnScorer reference = new KnnScorer(around(0, 1500, 3), K);
  private final OnlineLearner.Scoring scoring =
      new OnlineLearner.Scoring("v1", K, threshold(), null);
  private int sequence;

  /** {@code count} points around subjects {@code 0..subjectCount-1} in turn (or one subject). */
  private float[][] around(int firstSubject, int count, int subjectCount) {
    return around(firstSubject, count, subjectCount, 0.12);
  }

  private float[][] around(int firstSubject, int count, int subjectCount, double spread) {
    float[][] points = new float[count][DIMENSION];
    for (int i = 0; i < count; i++) {
      float[] centre = subjects[firstSubject + i % subjectCount];
      for (int d = 0; d < DIMENSION; d++) {
        points[i][d] = centre[d] + (float) (spread * random.nextGaussian());
      }
      normalise(points[i]);
    }
    return points;
  }

  private double threshold() {
    double[] normalScores = reference.score(around(0, 500, 3));
    return Calibration.fromNormalScores(normalScores, 0.02).threshold();
  }

  private static void normalise(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    for (int d = 0; d < vector.length; d++) {
      vector[d] /= (float) Math.sqrt(norm);
    }
  }

  private static OnlineLearner.Settings settings(LearningMode mode, int perWindow) {
    return new OnlineLearner.Settings(
        mode,
        1000,
        Duration.ofHours(24),
        perWindow,
        Duration.ofMinutes(10),
        500,
        Duration.ofHours(1),
        10,
        0.05);
  }

  private record Seen(String uid, OnlineLearner.Outcome outcome) {}

  private Seen observe(
      OnlineLearner learner, OnlineLearner.Scoring with, float[] vector, long time) {
    String uid = "m" + sequence++;
    float[] nearest = reference.nearestSimilarities(new float[][] {vector})[0];
    boolean trained = KnnScorer.meanDistance(nearest) > with.knnThreshold();
    return new Seen(uid, learner.observe(with, uid, vector, time, nearest, trained));
  }

  @Test
  void learningNoneScoresAsTheTrainedModel() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.NONE, 100));
    for (float[] vector : around(3, 50, 1)) {
      float[] nearest = reference.nearestSimilarities(new float[][] {vector})[0];
      Seen seen = observe(learner, scoring, vector, 0);
      assertEquals(KnnScorer.meanDistance(nearest), seen.outcome().knnScore(), 1e-9);
      assertTrue(seen.outcome().anomalous(), "the new subject is off the trained normal");
      assertFalse(seen.outcome().learned());
      assertNull(seen.outcome().hstScore());
    }
    assertEquals(0, learner.size());
    assertTrue(learner.pending().isEmpty());
  }

  @Test
  void learningNormalTakesNormalMessagesOnly() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.NORMAL, 100));
    Seen normal = observe(learner, scoring, around(0, 1, 1)[0], 0);
    Seen strange = observe(learner, scoring, around(3, 1, 1)[0], MINUTE);
    assertFalse(normal.outcome().anomalous());
    assertTrue(normal.outcome().learned());
    assertTrue(strange.outcome().anomalous());
    assertFalse(strange.outcome().learned());
    assertEquals(1, learner.size());
    assertTrue(learner.pending().isEmpty(), "only --learn=topics keeps anomalies waiting");
  }

  @Test
  void anAdoptedTopicStopsAlertingWhileIsolatedAnomaliesKeepAlerting() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.TOPICS, 400));
    List<String> topic = new ArrayList<>();
    for (float[] vector : around(3, 200, 1)) {
      Seen seen = observe(learner, scoring, vector, 5 * MINUTE);
      assertTrue(seen.outcome().anomalous());
      topic.add(seen.uid());
    }
    Seen isolated =
        observe(learner, scoring, SyntheticEmbeddings.uniform(random, 1, DIMENSION)[0], 6 * MINUTE);
    assertTrue(isolated.outcome().anomalous());
    assertEquals(201, learner.pending().size());
    learner.drainChanges();

    assertEquals(200, learner.adopt("v1", "topic-1", topic, 20 * MINUTE));
    OnlineLearner.Changes changes = learner.drainChanges();
    assertEquals(200, changes.learned().size());
    assertTrue(changes.pendingRewritten());
    assertTrue(changes.learned().stream().allMatch(e -> "topic-1".equals(e.topicId())));

    int alerts = 0;
    for (float[] vector : around(3, 100, 1)) {
      alerts += observe(learner, scoring, vector, 25 * MINUTE).outcome().anomalous() ? 1 : 0;
    }
    assertTrue(alerts <= 10, "the adopted subject alerts at most 10 % of the time: " + alerts);
    int isolatedAlerts = 0;
    for (float[] vector : SyntheticEmbeddings.uniform(random, 50, DIMENSION)) {
      Seen seen = observe(learner, scoring, vector, 26 * MINUTE);
      isolatedAlerts += seen.outcome().anomalous() ? 1 : 0;
      assertFalse(seen.outcome().learned());
    }
    assertTrue(isolatedAlerts >= 45, "isolated off-topic messages still alert: " + isolatedAlerts);
    assertFalse(
        learner.memoryEntries().stream().anyMatch(e -> e.uid().equals(isolated.uid())),
        "the isolated anomaly was never learned");
  }

  @Test
  void aSpreadOutAdoptedTopicJudgesItsSubjectByItsOwnThreshold() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.TOPICS, 400));
    // nearly twice the trained subjects' spread: its members stay far from each other
    List<String> topic = new ArrayList<>();
    for (float[] vector : around(3, 300, 1, 0.22)) {
      topic.add(observe(learner, scoring, vector, 5 * MINUTE).uid());
    }
    assertEquals(300, learner.adopt("v1", "spread", topic, 20 * MINUTE));

    int overGlobal = 0;
    int alerts = 0;
    for (float[] vector : around(3, 100, 1, 0.22)) {
      Seen seen = observe(learner, scoring, vector, 25 * MINUTE);
      overGlobal += seen.outcome().knnScore() > scoring.knnThreshold() ? 1 : 0;
      alerts += seen.outcome().anomalous() ? 1 : 0;
      if (seen.outcome().topic() != null) {
        assertFalse(seen.outcome().anomalous());
        assertEquals("spread", seen.outcome().topic().topicId());
        assertTrue(seen.outcome().topic().score() <= seen.outcome().topic().threshold());
        assertFalse(seen.outcome().learned(), "only the topic tracker makes members");
        assertTrue(learner.pending().stream().anyMatch(e -> e.uid().equals(seen.uid())));
      }
    }
    assertTrue(overGlobal >= 80, "the global threshold alone flags the subject: " + overGlobal);
    assertTrue(alerts <= 10, "within the topic's own threshold it is normal: " + alerts);
    int isolatedAlerts = 0;
    for (float[] vector : SyntheticEmbeddings.uniform(random, 50, DIMENSION)) {
      Seen seen = observe(learner, scoring, vector, 26 * MINUTE);
      isolatedAlerts += seen.outcome().anomalous() ? 1 : 0;
    }
    assertTrue(
        isolatedAlerts >= 45, "off-topic messages stay outside the topic: " + isolatedAlerts);
  }

  @Test
  void anotherVersionsTopicOrAnotherModeAdoptsNothing() {
    OnlineLearner topics = new OnlineLearner(settings(LearningMode.TOPICS, 100));
    Seen seen = observe(topics, scoring, around(3, 1, 1)[0], 0);
    assertEquals(0, topics.adopt("v0", "t", List.of(seen.uid()), MINUTE));
    OnlineLearner normal = new OnlineLearner(settings(LearningMode.NORMAL, 100));
    Seen other = observe(normal, scoring, around(3, 1, 1)[0], 0);
    assertEquals(0, normal.adopt("v1", "t", List.of(other.uid()), MINUTE));
  }

  @Test
  void aNewModelVersionDropsEverythingLearned() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.TOPICS, 100));
    int learned = 0;
    for (float[] vector : around(0, 20, 3)) {
      learned += observe(learner, scoring, vector, 0).outcome().learned() ? 1 : 0;
    }
    observe(learner, scoring, around(3, 1, 1)[0], 0);
    assertTrue(learned >= 15);
    assertEquals(learned, learner.size());
    assertTrue(!learner.pending().isEmpty());
    learner.drainChanges();
    OnlineLearner.Scoring next = new OnlineLearner.Scoring("v2", K, scoring.knnThreshold(), null);
    observe(learner, next, around(0, 1, 1)[0], MINUTE);
    OnlineLearner.Changes changes = learner.drainChanges();
    assertTrue(changes.reset());
    assertEquals("v2", learner.version());
    assertEquals(1, learner.size(), "only the message of the new version");
    assertTrue(learner.pending().isEmpty());
  }

  @Test
  void theBudgetCapsWhatOneWindowLearns() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.NORMAL, 3));
    int learned = 0;
    for (float[] vector : around(0, 10, 3)) {
      learned += observe(learner, scoring, vector, MINUTE).outcome().learned() ? 1 : 0;
    }
    assertEquals(3, learned);
    assertTrue(observe(learner, scoring, around(0, 1, 1)[0], 11 * MINUTE).outcome().learned());
  }

  @Test
  void aFloodStaysBounded() {
    OnlineLearner.Settings small =
        new OnlineLearner.Settings(
            LearningMode.TOPICS,
            50,
            Duration.ofHours(24),
            1000,
            Duration.ofMinutes(10),
            40,
            Duration.ofHours(1),
            10,
            0.05);
    OnlineLearner all = new OnlineLearner(small);
    OnlineLearner learnsEverything =
        new OnlineLearner(
            new OnlineLearner.Settings(
                LearningMode.ALL,
                50,
                Duration.ofHours(24),
                1000,
                Duration.ofMinutes(10),
                40,
                Duration.ofHours(1),
                10,
                0.05));
    for (float[] vector : SyntheticEmbeddings.uniform(random, 2000, DIMENSION)) {
      observe(all, scoring, vector, MINUTE);
      observe(learnsEverything, scoring, vector, MINUTE);
    }
    assertEquals(40, all.pending().size());
    assertEquals(50, learnsEverything.size());
    assertTrue(learnsEverything.approximateBytes() < 50 * (DIMENSION * 4 + 200));
  }

  @Test
  void aRestoredLearnerScoresAsTheOneItWasWrittenFrom() {
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.TOPICS, 100));
    List<String> topic = new ArrayList<>();
    for (float[] vector : around(0, 30, 3)) {
      observe(learner, scoring, vector, 0);
    }
    for (float[] vector : around(3, 30, 1)) {
      topic.add(observe(learner, scoring, vector, MINUTE).uid());
    }
    learner.adopt("v1", "t", topic.subList(0, 20), 15 * MINUTE);
    OnlineLearner restored = new OnlineLearner(settings(LearningMode.TOPICS, 100));
    restored.restore(
        scoring,
        learner.memoryEntries(),
        learner.hstReference(),
        learner.pending(),
        learner.budgetCounts());
    assertEquals(learner.size(), restored.size());
    assertEquals(learner.pending().size(), restored.pending().size());
    float[][] probes = around(0, 10, 4);
    for (float[] probe : probes) {
      assertEquals(
          observe(learner, scoring, probe, 16 * MINUTE).outcome().knnScore(),
          observe(restored, scoring, probe, 16 * MINUTE).outcome().knnScore(),
          1e-9);
    }
    // the rest of the topic can still be learned from the restored learner's waiting anomalies
    assertEquals(10, restored.adopt("v1", "t", topic, 17 * MINUTE));
  }

  @Test
  void halfSpaceTreesDecideAndLearnWithTheirOwnThreshold() {
    float[][] training = around(0, 2000, 3);
    HstModel hst = HstModel.fit(training, new HalfSpaceTrees.Settings(25, 10, 100, 3), 0.02);
    OnlineLearner.Scoring trees = new OnlineLearner.Scoring("v1", K, scoring.knnThreshold(), hst);
    OnlineLearner learner = new OnlineLearner(settings(LearningMode.ALL, 1000));
    double early = 0;
    double late = 0;
    float[][] subject = around(3, 300, 1);
    for (int i = 0; i < subject.length; i++) {
      OnlineLearner.Outcome outcome = observe(learner, trees, subject[i], MINUTE).outcome();
      assertEquals(outcome.hstScore() > hst.threshold(), outcome.anomalous());
      assertTrue(outcome.learned());
      if (i < 100) {
        early += outcome.hstScore();
      } else if (i >= 200) {
        late += outcome.hstScore();
      }
    }
    System.out.printf(
        "hst early %.4f late %.4f threshold %.4f%n", early / 100, late / 100, hst.threshold());
    assertTrue(late < early, "once its windows turned the subject looks more normal");
    assertEquals(100, learner.hstReference().size());
  }
}
