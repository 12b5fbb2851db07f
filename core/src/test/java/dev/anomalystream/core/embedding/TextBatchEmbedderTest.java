package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.failure.Failure;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextBatchEmbedderTest {
  /**
   * A token limit above the model's 512 positions makes ONNX Runtime fail on longer texts only: a
   * real inference error inside an otherwise good batch.
   */
  @Test
  void anInferenceErrorFailsOnlyTheElementThatCausesIt() {
    SentenceEmbedder beyondPositions =
        SharedEmbedders.get(EmbedderOptions.defaults().withMaxSequenceLength(600));
    String tooLong = String.join(" ", Collections.nCopies(550, "word"));
    List<String> elements = List.of("first fine text", tooLong, "second fine text");
    TextBatchEmbedder<String> batchEmbedder =
        new TextBatchEmbedder<>(text -> text, text -> "id-" + text.length());

    TextBatchEmbedder.Outcome outcome = batchEmbedder.embed(beyondPositions, elements);

    Failure failure = outcome.failures[1];
    assertNotNull(failure);
    assertEquals(EmbedTexts.STAGE, failure.getStage());
    assertEquals("id-" + tooLong.length(), failure.getAttributes().get("id"));
    assertTrue(failure.getReason().contains("inference failed"), failure.getReason());
    assertNull(outcome.vectors[1]);
    for (int good : new int[] {0, 2}) {
      assertNull(outcome.failures[good]);
      assertArrayEquals(
          beyondPositions.embed(List.of(elements.get(good)))[0], outcome.vectors[good]);
    }
  }
}
