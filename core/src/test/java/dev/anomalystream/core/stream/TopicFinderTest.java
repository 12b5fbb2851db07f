package dev.anomalystream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TopicFinder on made-up 16-d unit vectors: a window whose anomalies are one tight burst and a few
 * scattered false alarms holds one topic, found against the window's normal messages.
 */
class TopicFinderTest {
  private static final int DIMENSION = 16;

  @Test
  void oneBurstAmongScatteredAnomaliesIsOneTopic() {
    Random random = new Random(7);
    float[] direction = randomUnit(random);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      anomalies.add(new TopicFinder.Anomaly("burst-" + i, "burst " + i, near(direction, random)));
    }
    for (int i = 0; i < 4; i++) {
      anomalies.add(new TopicFinder.Anomaly("odd-" + i, "odd " + i, randomUnit(random)));
    }
    List<float[]> normal = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      normal.add(randomUnit(random));
    }

    List<TopicCandidate> topics = new TopicFinder(5, null).find(anomalies, normal);

    assertEquals(1, topics.size(), topics::toString);
    TopicCandidate topic = topics.get(0);
    assertEquals(20, topic.size(), topic.uids()::toString);
    assertTrue(topic.uids().stream().allMatch(uid -> uid.startsWith("burst-")), topic::toString);
    assertEquals(TopicFinder.EXAMPLES, topic.examples().size());
    assertEquals(List.of(), topic.terms(), "no term statistics: no terms");
  }

  @Test
  void scatteredAnomaliesAreNoTopic() {
    Random random = new Random(8);
    List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      anomalies.add(new TopicFinder.Anomaly("odd-" + i, "odd " + i, randomUnit(random)));
    }
    List<float[]> normal = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      normal.add(randomUnit(random));
    }
    assertEquals(List.of(), new TopicFinder(5, null).find(anomalies, normal));
    assertEquals(List.of(), new TopicFinder(5, null).find(anomalies.subList(0, 4), normal));
  }

  static float[] randomUnit(Random random) {
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalised(v);
  }

  static float[] near(float[] direction, Random random) {
    float[] v = direction.clone();
    for (int i = 0; i < DIMENSION; i++) {
      v[i] += (float) (0.03 * random.nextGaussian());
    }
    return normalised(v);
  }

  private static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }
}
