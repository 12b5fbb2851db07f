package dev.anomalystream.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticCorpusTest {
  @Test
  void tweetsAreDistinctSeededAndInTheCorpusStyle() {
    List<SyntheticCorpus.Tweet> a = SyntheticCorpus.tweets(500, 3);
    assertEquals(a, SyntheticCorpus.tweets(500, 3));
    assertEquals(500, new HashSet<>(a.stream().map(SyntheticCorpus.Tweet::text).toList()).size());
    assertTrue(a.stream().allMatch(t -> t.text().matches("[a-z ]+")));
    assertEquals(6, a.stream().map(SyntheticCorpus.Tweet::label).distinct().count());
  }

  @Test
  void offTopicTextsShareTheStyleAndNeverRepeatATweet() {
    List<String> offTopic = SyntheticCorpus.offTopic(SyntheticCorpus.offTopicCount(), 1);
    assertTrue(offTopic.stream().allMatch(t -> t.matches("[a-z ]+")), offTopic.toString());
    HashSet<String> tweets =
        new HashSet<>(
            SyntheticCorpus.tweets(2000, 1).stream().map(SyntheticCorpus.Tweet::text).toList());
    assertTrue(offTopic.stream().noneMatch(tweets::contains));
    assertThrows(
        IllegalArgumentException.class,
        () -> SyntheticCorpus.offTopic(SyntheticCorpus.offTopicCount() + 1, 1));
  }
}
