package dev.anomalystream.core.stream;

import static dev.anomalystream.core.stream.StreamFixtures.near;
import static dev.anomalystream.core.stream.StreamFixtures.randomUnit;
import static dev.anomalystream.core.stream.StreamFixtures.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopicFinderTest {
  private static final int DIMENSION = 32;

  /** 25 messages close to one direction ("burst-i"), 10 random ones ("scattered-i"), shuffled. */
  private static List<TopicFinder.Anomaly> burstAndScattered(long seed) {
    Random random = new Random(seed);
    float[] direction = unit(DIMENSION, 0);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      anomalies.add(
          new TopicFinder.Anomaly("burst-" + i, "burst text " + i, near(direction, 0.04, random)));
    }
    for (int i = 0; i < 10; i++) {
      anomalies.add(
          new TopicFinder.Anomaly(
              "scattered-" + i, "scattered text " + i, randomUnit(DIMENSION, random)));
    }
    java.util.Collections.shuffle(anomalies, random);
    return anomalies;
  }

  private static void assertOneBurstTopic(List<TopicCandidate> topics) {
    assertEquals(1, topics.size(), "topics " + topics);
    TopicCandidate topic = topics.get(0);
    long fromBurst = topic.uids().stream().filter(uid -> uid.startsWith("burst-")).count();
    long scattered = topic.size() - fromBurst;
    assertTrue(fromBurst >= 20, "only " + fromBurst + " of the burst's 25 in " + topic.uids());
    assertTrue(scattered <= 2, scattered + " scattered messages in " + topic.uids());
    assertEquals(topic.uids().stream().sorted().toList(), topic.uids(), "uids sorted");
    assertTrue(Vectors.dot(topic.centroid(), unit(DIMENSION, 0)) > 0.95, "centroid direction");
    assertEquals(1.0, Vectors.dot(topic.centroid(), topic.centroid()), 1e-5, "unit centroid");
    assertTrue(topic.terms().isEmpty(), "no term statistics, no terms");
  }

  @Test
  void aTightBurstAmongScatteredAnomaliesIsOneTopic() {
    for (long seed = 1; seed <= 5; seed++) {
      assertOneBurstTopic(new TopicFinder(5, null).find(burstAndScattered(seed)));
    }
  }

  @Test
  void aBurstAsLooseAsSentenceEmbeddingsIsOneTopic() {
    // the project's stand-in for sentence embeddings: 384-d, spread 0.03 (pairwise cosine ~0.74)
    Random random = new Random(21);
    float[][] burst = SyntheticEmbeddings.groups(random, 1, 25, 384, 0.03);
    float[][] scattered = SyntheticEmbeddings.uniform(random, 10, 384);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < burst.length; i++) {
      anomalies.add(new TopicFinder.Anomaly("burst-" + i, "b" + i, burst[i]));
    }
    for (int i = 0; i < scattered.length; i++) {
      anomalies.add(new TopicFinder.Anomaly("scattered-" + i, "s" + i, scattered[i]));
    }
    java.util.Collections.shuffle(anomalies, random);
    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies);
    assertEquals(1, topics.size(), "topics " + topics);
    assertEquals(25, topics.get(0).size(), topics.get(0).uids().toString());
    assertTrue(topics.get(0).uids().stream().allMatch(uid -> uid.startsWith("burst-")));
  }

  @Test
  void aBurstOfIdenticalMessagesIsOneTopic() {
    // spam: the same text again and again has one embedding
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      anomalies.add(new TopicFinder.Anomaly("same-" + i, "buy now", unit(8, 2)));
    }
    Random random = new Random(4);
    for (int i = 0; i < 6; i++) {
      anomalies.add(new TopicFinder.Anomaly("other-" + i, "other " + i, randomUnit(8, random)));
    }
    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies);
    assertEquals(1, topics.size(), "topics " + topics);
    assertEquals(12, topics.get(0).size());
    assertEquals(List.of("buy now"), topics.get(0).examples(), "one text, quoted once");
  }

  @Test
  void twoBurstsAreTwoTopicsLargestFirst() {
    Random random = new Random(9);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      anomalies.add(new TopicFinder.Anomaly("a" + i, "a", near(unit(16, 1), 0.03, random)));
    }
    for (int i = 0; i < 15; i++) {
      anomalies.add(new TopicFinder.Anomaly("b" + i, "b", near(unit(16, 7), 0.03, random)));
    }
    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies);
    assertEquals(2, topics.size(), "topics " + topics);
    assertEquals(15, topics.get(0).size());
    assertTrue(topics.get(0).uids().stream().allMatch(uid -> uid.startsWith("b")));
    assertEquals(8, topics.get(1).size());
  }

  @Test
  void fewerAnomaliesThanTheMinimumMakeNoTopic() {
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      anomalies.add(new TopicFinder.Anomaly("u" + i, "t", unit(8, 0)));
    }
    assertTrue(new TopicFinder(5, null).find(anomalies).isEmpty());
    assertTrue(new TopicFinder(5, null).find(List.of()).isEmpty());
  }

  @Test
  void scatteredAnomaliesMakeNoTopic() {
    Random random = new Random(5);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      anomalies.add(new TopicFinder.Anomaly("s" + i, "t" + i, randomUnit(64, random)));
    }
    assertTrue(new TopicFinder(5, null).find(anomalies).isEmpty());
  }

  @Test
  void examplesAreTheTextsNearestTheCentroid() {
    Random random = new Random(6);
    float[] direction = unit(DIMENSION, 3);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // the spread grows with i: the first ones lie nearest the centre
      double spread = i < 3 ? 0.001 : 0.03 + 0.002 * i;
      anomalies.add(new TopicFinder.Anomaly("m" + i, "text " + i, near(direction, spread, random)));
    }
    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies);
    assertEquals(1, topics.size(), "topics " + topics);
    TopicCandidate topic = topics.get(0);
    List<String> expected =
        anomalies.stream()
            .filter(a -> topic.uids().contains(a.uid()))
            .sorted(
                Comparator.comparingDouble(
                    (TopicFinder.Anomaly a) -> -Vectors.dot(a.embedding(), topic.centroid())))
            .limit(TopicFinder.EXAMPLES)
            .map(TopicFinder.Anomaly::text)
            .toList();
    assertEquals(expected, topic.examples());
    assertEquals(
        java.util.Set.of("text 0", "text 1", "text 2"), java.util.Set.copyOf(topic.examples()));
  }

  @Test
  void examplesAreDistinctTexts() {
    Random random = new Random(8);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // six copies of one text lie on the centre itself: the nearest, but one example
      float[] embedding = i < 6 ? unit(16, 0) : near(unit(16, 0), 0.03, random);
      String text = i < 6 ? "the same words" : "text " + i;
      anomalies.add(new TopicFinder.Anomaly("d" + i, text, embedding));
    }
    for (int i = 0; i < 5; i++) {
      anomalies.add(new TopicFinder.Anomaly("o" + i, "o", randomUnit(16, random)));
    }
    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies);
    assertEquals(1, topics.size());
    List<String> examples = topics.get(0).examples();
    assertEquals(TopicFinder.EXAMPLES, examples.size(), "examples " + examples);
    assertEquals(examples.stream().distinct().toList(), examples);
    assertEquals("the same words", examples.get(0));
  }

  @Test
  void aTopicNeedsAtLeastTwoMessages() {
    assertThrows(IllegalArgumentException.class, () -> new TopicFinder(1, null));
  }

  /**
   * As with real sentence embeddings: the window's normal messages share a common direction so
   * strongly that two of them are more alike (cosine ~0.6) than two messages of the burst (~0.5).
   * Against the normal messages, with that direction removed, the burst is one topic.
   */
  @Test
  void aBurstLooserThanTheNormalTrafficIsFoundAgainstIt() {
    int dimension = 64;
    Random random = new Random(5);
    float[] common = unit(dimension, 0);
    float[] burstDirection = unit(dimension, 1);
    List<float[]> normal = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      normal.add(mix(random, dimension, common, 1.0, null, 0));
    }
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      anomalies.add(
          new TopicFinder.Anomaly(
              "burst-" + i, "b" + i, mix(random, dimension, common, 0.6, burstDirection, 0.6)));
    }
    for (int i = 0; i < 3; i++) {
      anomalies.add(
          new TopicFinder.Anomaly(
              "odd-" + i, "o" + i, mix(random, dimension, common, 1.0, null, 0)));
    }
    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies, normal);
    assertEquals(1, topics.size(), "topics " + topics);
    long fromBurst = topics.get(0).uids().stream().filter(u -> u.startsWith("burst-")).count();
    assertTrue(fromBurst >= 23, fromBurst + " of 25 in " + topics.get(0).uids());
    assertTrue(topics.get(0).size() - fromBurst <= 1, topics.get(0).uids().toString());
  }

  /** a·first + b·second + 0.8·(a random unit vector), normalised. */
  private static float[] mix(
      Random random, int dimension, float[] first, double a, float[] second, double b) {
    float[] noise = randomUnit(dimension, random);
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) (a * first[d] + (second == null ? 0 : b * second[d]) + 0.8 * noise[d]);
    }
    return Vectors.normalised(v);
  }
}
