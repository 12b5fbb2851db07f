package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.embedding.GraphSignature.Input;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphSignatureTest {
  @Test
  void bertGetsTokenTypeIds() {
    assertEquals(
        EnumSet.allOf(Input.class),
        GraphSignature.selectInputs(List.of("input_ids", "attention_mask", "token_type_ids")));
  }

  @Test
  void distilBertGetsOnlyWhatItDeclares() {
    assertEquals(
        EnumSet.of(Input.INPUT_IDS, Input.ATTENTION_MASK),
        GraphSignature.selectInputs(List.of("attention_mask", "input_ids")));
  }

  @Test
  void anInputNoTokenizerProducesIsNamed() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphSignature.selectInputs(List.of("input_ids", "position_ids")));
    assertTrue(error.getMessage().contains("position_ids"), error.getMessage());
  }

  @Test
  void aGraphWithoutInputIdsIsNotATextEncoder() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphSignature.selectInputs(List.of("attention_mask")));
    assertTrue(error.getMessage().contains("input_ids"), error.getMessage());
  }

  @Test
  void pooledOutputWinsOverTokenStates() {
    assertEquals(
        "sentence_embedding",
        GraphSignature.selectOutput(List.of("token_embeddings", "sentence_embedding")));
  }

  @Test
  void lastHiddenStateWinsOverOtherOutputs() {
    assertEquals(
        "last_hidden_state",
        GraphSignature.selectOutput(List.of("hidden_states_0", "last_hidden_state")));
  }

  @Test
  void otherwiseTheFirstOutputIsUsed() {
    assertEquals("output_0", GraphSignature.selectOutput(List.of("output_0", "output_1")));
    assertThrows(IllegalArgumentException.class, () -> GraphSignature.selectOutput(List.of()));
  }
}
