package dev.anomalystream.core.embedding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which tensors to feed an encoder graph and which output to read, decided from the names the graph
 * declares. Feeding an input the graph does not declare is an error in ONNX Runtime, and models
 * differ: BERT takes token_type_ids, DistilBERT and RoBERTa-style exports do not.
 */
final class GraphSignature {
  /** The pooled output sentence-transformers exports add after their pooling layer. */
  static final String POOLED_OUTPUT = "sentence_embedding";

  static final String TOKEN_OUTPUT = "last_hidden_state";

  /** The tokenizer outputs a graph may take, by their conventional Hugging Face input names. */
  enum Input {
    INPUT_IDS("input_ids"),
    ATTENTION_MASK("attention_mask"),
    TOKEN_TYPE_IDS("token_type_ids");

    final String graphName;

    Input(String graphName) {
      this.graphName = graphName;
    }
  }

  private GraphSignature() {}

  /**
   * The inputs to feed, exactly those the graph declares; fails naming any input we cannot produce,
   * and when input_ids is absent (then this is not a text encoder).
   */
  static Set<Input> selectInputs(Collection<String> graphInputs) {
    EnumSet<Input> selected = EnumSet.noneOf(Input.class);
    List<String> unknown = new ArrayList<>();
    for (String name : graphInputs) {
      Input match = null;
      for (Input input : Input.values()) {
        if (input.graphName.equals(name)) {
          match = input;
        }
      }
      if (match == null) {
        unknown.add(name);
      } else {
        selected.add(match);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "the ONNX graph declares inputs "
              + unknown
              + " that a tokenizer cannot supply; supported: input_ids, attention_mask,"
              + " token_type_ids");
    }
    if (!selected.contains(Input.INPUT_IDS)) {
      throw new IllegalArgumentException(
          "the ONNX graph has no input_ids input (it declares " + graphInputs + ")");
    }
    return selected;
  }

  /**
   * The output to read: the pooled sentence_embedding when the graph has one, else
   * last_hidden_state, else the first output (token-level states we pool ourselves).
   */
  static String selectOutput(List<String> graphOutputs) {
    if (graphOutputs.isEmpty()) {
      throw new IllegalArgumentException("the ONNX graph declares no outputs");
    }
    if (graphOutputs.contains(POOLED_OUTPUT)) {
      return POOLED_OUTPUT;
    }
    return graphOutputs.contains(TOKEN_OUTPUT) ? TOKEN_OUTPUT : graphOutputs.get(0);
  }
}
