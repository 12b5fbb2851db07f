package dev.anomalystream.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MessageSelectionTest {
  private static final List<CorpusRecord> CORPUS =
      IntStream.range(0, 6000)
          .mapToObj(
              i ->
                  new CorpusRecord(
                      "train.txt", i + 1, "train", "text " + i, EmotionLabel.values()[i % 6]))
          .toList();

  @Test
  void parsesClassNamesAndIds() {
    assertEquals(
        EnumSet.of(EmotionLabel.SADNESS, EmotionLabel.ANGER, EmotionLabel.SURPRISE),
        MessageSelection.parseClasses(List.of("sadness", " anger", "5")));
    assertTrue(MessageSelection.parseClasses(List.of("all")).isEmpty());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MessageSelection.parseClasses(List.of("joy", "bored")));
    assertTrue(e.getMessage().contains("'bored'"), e.getMessage());
  }

  @Test
  void keepsOnlyTheChosenClasses() {
    MessageSelection selection = new MessageSelection(Set.of(EmotionLabel.ANGER), 1.0, 1);
    List<CorpusRecord> kept = CORPUS.stream().filter(selection::keep).toList();
    assertEquals(1000, kept.size());
    assertTrue(kept.stream().allMatch(r -> r.label() == EmotionLabel.ANGER));
    assertFalse(selection.keep(new CorpusRecord("q.txt", 1, "q", "unlabelled", null)));
  }

  @Test
  void sampleIsSeededStableAndNearTheFraction() {
    MessageSelection a = new MessageSelection(Set.of(), 0.25, 7);
    List<CorpusRecord> first = CORPUS.stream().filter(a::keep).toList();
    List<CorpusRecord> again =
        CORPUS.stream().filter(new MessageSelection(Set.of(), 0.25, 7)::keep).toList();
    List<CorpusRecord> otherSeed =
        CORPUS.stream().filter(new MessageSelection(Set.of(), 0.25, 8)::keep).toList();
    assertEquals(first, again);
    assertNotEquals(first, otherSeed);
    // binomial(6000, 0.25): mean 1500, sd 33.5; 5 sd either side
    assertTrue(Math.abs(first.size() - 1500) < 170, "kept " + first.size());
  }

  @Test
  void rejectsFractionsOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> new MessageSelection(Set.of(), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new MessageSelection(Set.of(), 1.5, 1));
  }
}
