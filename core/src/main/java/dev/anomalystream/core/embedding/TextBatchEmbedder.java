package dev.anomalystream.core.embedding;

import dev.anomalystream.core.failure.Failure;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The Beam-free core of {@link EmbedTexts}: embeds a batch of elements and turns every problem into
 * a {@link Failure} for the element that caused it, so one bad element never costs the others their
 * vectors.
 */
final class TextBatchEmbedder<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String ID_ATTRIBUTE = "id";

  private final SerializableFunction<T, String> textOf;
  private final SerializableFunction<T, String> idOf;

  TextBatchEmbedder(SerializableFunction<T, String> textOf, SerializableFunction<T, String> idOf) {
    this.textOf = textOf;
    this.idOf = idOf;
  }

  /**
   * Per element, in input order, either its vector or its failure; and the number of texts
   * truncated at the token limit.
   */
  static final class Outcome {
    final float[][] vectors;
    final Failure[] failures;
    int truncatedTexts;

    private Outcome(int size) {
      vectors = new float[size][];
      failures = new Failure[size];
    }
  }

  Outcome embed(SentenceEmbedder embedder, List<T> elements) {
    Outcome outcome = new Outcome(elements.size());
    String[] texts = new String[elements.size()];
    List<Integer> readable = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      T element = elements.get(i);
      try {
        texts[i] = textOf.apply(element);
        if (texts[i] == null) {
          outcome.failures[i] = failure(element, null, "the element has no text (null)", null);
        } else {
          readable.add(i);
        }
      } catch (RuntimeException e) {
        outcome.failures[i] = failure(element, null, "cannot read the text: " + describe(e), e);
      }
    }
    List<String> batch = new ArrayList<>(readable.size());
    for (int i : readable) {
      batch.add(texts[i]);
    }
    try {
      EmbeddedBatch embedded = embedder.embedBatch(batch);
      for (int k = 0; k < readable.size(); k++) {
        outcome.vectors[readable.get(k)] = embedded.vectors()[k];
      }
      outcome.truncatedTexts = embedded.truncatedTexts();
    } catch (RuntimeException batchError) {
      // find the element(s) the batch failed on, so the rest still get their vectors
      for (int i : readable) {
        try {
          EmbeddedBatch single = embedder.embedBatch(List.of(texts[i]));
          outcome.vectors[i] = single.vectors()[0];
          outcome.truncatedTexts += single.truncatedTexts();
        } catch (RuntimeException e) {
          outcome.failures[i] = failure(elements.get(i), texts[i], describe(e), e);
        }
      }
    }
    return outcome;
  }

  /** The failure of one element; {@code cause} is the exception behind it, null when none. */
  private Failure failure(T element, String text, String reason, RuntimeException cause) {
    String id;
    try {
      id = String.valueOf(idOf.apply(element));
    } catch (RuntimeException e) {
      id = "unknown (" + describe(e) + ")";
    }
    String payload = text != null ? text : String.valueOf(element);
    Failure.Builder failure =
        Failure.builder()
            .setStage(EmbedTexts.STAGE)
            .setReason(reason)
            .setPayload(payload.getBytes(StandardCharsets.UTF_8))
            .setAttributes(Map.of(ID_ATTRIBUTE, id))
            .setTime(Instant.now());
    return cause == null ? failure.build() : failure.setException(cause).build();
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
  }
}
