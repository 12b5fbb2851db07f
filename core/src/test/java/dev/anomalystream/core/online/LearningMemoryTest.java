package dev.anomalystream.core.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.model.KnnScorer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LearningMemoryTest {
  private static final long MINUTE = 60_000L;

  @Test
  void holdsAtMostItsCapacityAndTheOldestLeaveFirst() {
    LearningMemory memory = new LearningMemory(3, Duration.ofHours(1));
    float[][] vectors = SyntheticEmbeddings.uniform(new Random(1), 5, 8);
    for (int i = 0; i < 5; i++) {
      memory.add(new MemoryEntry("m" + i, vectors[i], i * MINUTE, null));
    }
    assertEquals(3, memory.size());
    assertEquals(
        java.util.List.of("m2", "m3", "m4"),
        memory.entries().stream().map(MemoryEntry::uid).toList());
  }

  @Test
  void entriesOlderThanTheMaximumAgeLeave() {
    LearningMemory memory = new LearningMemory(100, Duration.ofMinutes(30));
    float[][] vectors = SyntheticEmbeddings.uniform(new Random(2), 3, 8);
    memory.add(new MemoryEntry("old", vectors[0], 0, null));
    memory.add(new MemoryEntry("middle", vectors[1], 20 * MINUTE, null));
    assertEquals(2, memory.size());
    // a newer entry ages the first past 30 minutes
    memory.add(new MemoryEntry("new", vectors[2], 31 * MINUTE, null));
    assertEquals(
        java.util.List.of("middle", "new"),
        memory.entries().stream().map(MemoryEntry::uid).toList());
    assertEquals(1, memory.expire(51 * MINUTE));
    assertEquals(1, memory.size());
  }

  @Test
  void nearestSimilaritiesAreTheLargestFirstAndMatchTheExactScorer() {
    float[][] vectors = SyntheticEmbeddings.generate(300, 32, 4, 0.1, 0.1, 3);
    LearningMemory memory = new LearningMemory(1000, Duration.ofDays(1));
    for (int i = 0; i < vectors.length; i++) {
      memory.add(new MemoryEntry("m" + i, vectors[i], i, null));
    }
    float[][] queries = SyntheticEmbeddings.generate(20, 32, 4, 0.1, 0.2, 4);
    float[][] exact = new KnnScorer(vectors, 7).nearestSimilarities(queries);
    for (int q = 0; q < queries.length; q++) {
      float[] found = memory.nearestSimilarities(queries[q], 7);
      assertEquals(7, found.length);
      for (int i = 1; i < found.length; i++) {
        assertTrue(found[i - 1] >= found[i], "largest first");
      }
      assertArrayEquals(exact[q], found, 1e-5f);
    }
  }

  @Test
  void aSmallMemoryGivesWhatItHas() {
    LearningMemory memory = new LearningMemory(10, Duration.ofDays(1));
    assertEquals(0, memory.nearestSimilarities(new float[] {1, 0}, 5).length);
    memory.add(new MemoryEntry("a", new float[] {1, 0}, 0, null));
    memory.add(new MemoryEntry("b", new float[] {0, 1}, 0, null));
    assertArrayEquals(new float[] {1f, 0f}, memory.nearestSimilarities(new float[] {1, 0}, 5));
  }

  @Test
  void theCombinedScoreTakesTheNearestOfReferenceAndMemory() {
    float[] reference = {0.6f, 0.5f, 0.4f};
    // nothing nearer in memory: the reference's score
    assertEquals(
        KnnScorer.meanDistance(reference),
        LearningMemory.combinedScore(reference, new float[] {0.3f, 0.1f}, 3),
        1e-9);
    // two nearer memory entries replace the two farthest reference neighbours
    assertEquals(
        1 - (0.9 + 0.8 + 0.6) / 3,
        LearningMemory.combinedScore(reference, new float[] {0.9f, 0.8f}, 3),
        1e-6);
    assertEquals(
        KnnScorer.meanDistance(reference),
        LearningMemory.combinedScore(reference, new float[0], 3));
  }

  @Test
  void refusesAnEmptyCapacityOrAge() {
    assertThrows(IllegalArgumentException.class, () -> new LearningMemory(0, Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> new LearningMemory(1, Duration.ZERO));
    LearningMemory memory = new LearningMemory(2, Duration.ofHours(1));
    memory.add(new MemoryEntry("a", new float[] {1, 0, 0}, 0, null));
    assertThrows(
        IllegalArgumentException.class, () -> memory.nearestSimilarities(new float[] {1, 0}, 1));
    assertTrue(Arrays.equals(new float[] {1, 0, 0}, memory.entries().get(0).vector()));
  }

  @Test
  void aTopicIsScoredAgainstItsOwnMembersWithAThresholdFromTheirLeaveOneOutScores() {
    LearningMemory memory = new LearningMemory(1000, Duration.ofHours(1));
    Random random = new Random(3);
    float[][] members = SyntheticEmbeddings.uniform(random, 40, 8);
    for (int i = 0; i < members.length; i++) {
      memory.add(new MemoryEntry("t" + i, members[i], i, "topic"));
    }
    for (int i = 0; i < LearningMemory.MIN_TOPIC_MEMBERS - 1; i++) {
      memory.add(new MemoryEntry("s" + i, members[i], 100 + i, "small"));
      memory.add(new MemoryEntry("n" + i, members[i], 200 + i, null));
    }
    assertEquals(Set.of("topic"), memory.topics(), "a topic needs enough members to judge");

    // the threshold is the quantile of each member's score against the 39 others
    int k = 5;
    double[] leaveOneOut = new double[members.length];
    for (int i = 0; i < members.length; i++) {
      float[][] others = new float[members.length - 1][];
      for (int j = 0, o = 0; j < members.length; j++) {
        if (j != i) {
          others[o++] = members[j];
        }
      }
      leaveOneOut[i] = new KnnScorer(others, k).score(new float[][] {members[i]})[0];
    }
    Arrays.sort(leaveOneOut);
    assertEquals(leaveOneOut[35], memory.topicThreshold("topic", k, 0.1), 1e-5);
    assertEquals(leaveOneOut[39], memory.topicThreshold("topic", k, 0.0), 1e-5);
    assertTrue(Double.isNaN(memory.topicThreshold("small", k, 0.1)));

    float[] query = SyntheticEmbeddings.uniform(random, 1, 8)[0];
    assertEquals(
        new KnnScorer(members, k).score(new float[][] {query})[0],
        KnnScorer.meanDistance(memory.topicSimilarities(query, "topic", k)),
        1e-5);
  }
}
