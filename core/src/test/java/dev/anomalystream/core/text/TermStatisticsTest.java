package dev.anomalystream.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TermStatisticsTest {
  private static final List<String> FEELINGS =
      List.of("happy", "sad", "angry", "calm", "tired", "excited", "nervous", "grateful");
  private static final List<String> THINGS =
      List.of("work", "friends", "weather", "music", "school", "family", "coffee", "weekend");

  /** Tweets about feelings: "feel" is in every one of them. */
  private static List<String> corpus() {
    List<String> texts = new ArrayList<>();
    for (String feeling : FEELINGS) {
      for (String thing : THINGS) {
        texts.add("I feel so " + feeling + " about the " + thing + " today");
        texts.add("Why do I feel " + feeling + " when it's " + thing + " again?");
      }
    }
    return texts;
  }

  @Test
  void aTopicsDistinctiveWordRanksFirstAndCommonWordsDoNot() {
    TermStatistics statistics = TermStatistics.fit(corpus());
    List<String> topic =
        List.of(
            "The datacenter outage took the payments down and I feel angry",
            "Another outage at the datacenter, I feel tired of it",
            "Outage again: payments failing, the weekend is ruined",
            "is the outage over? I feel nervous about work");
    List<String> top = statistics.topTerms(topic, 5);
    assertEquals("outage", top.get(0), top.toString());
    assertTrue(top.containsAll(List.of("datacenter", "payments")), top.toString());
    for (String excluded : List.of("the", "is", "and", "feel", "i")) {
      assertFalse(top.contains(excluded), excluded + " in " + top);
    }
    // in only one of four texts: it describes that text, not the group
    assertFalse(top.contains("ruined"), top.toString());
  }

  @Test
  void keepsTermsOfAtLeastTwoTextsAndTwoCharacters() {
    TermStatistics statistics =
        TermStatistics.fit(List.of("x marks 'the' spot", "the spot is here", "a unique word"));
    assertEquals(3, statistics.documents());
    assertEquals(2, statistics.documentFrequency("spot"));
    assertEquals(0, statistics.documentFrequency("unique"));
    assertEquals(0, statistics.documentFrequency("x"));
    assertEquals(Set.of("won't", "stop", "2024"), TermStatistics.terms("'Won't' STOP in 2024!"));
  }

  @Test
  void roundTripsThroughItsFile() throws IOException {
    TermStatistics statistics = TermStatistics.fit(corpus());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    statistics.writeTo(new DataOutputStream(bytes));
    TermStatistics read =
        TermStatistics.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(statistics.documents(), read.documents());
    assertEquals(statistics.vocabularySize(), read.vocabularySize());
    for (String term : List.of("feel", "happy", "coffee", "missing")) {
      assertEquals(statistics.documentFrequency(term), read.documentFrequency(term), term);
    }
    List<String> texts = List.of("happy coffee people", "coffee people here", "people again");
    assertEquals(statistics.topTerms(texts, 3), read.topTerms(texts, 3));
  }
}
