package dev.anomalystream.core.text;

import dev.anomalystream.core.model.StoredModel;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** PLACEHOLDER until the drift branch merges. */
public final class TermStatistics {
  public static final String FILE = "terms.bin";

  public static Optional<TermStatistics> load(StoredModel stored) throws IOException {
    return Optional.empty();
  }

  public List<String> topTerms(List<String> texts, int n) {
    return List.of();
  }
}
