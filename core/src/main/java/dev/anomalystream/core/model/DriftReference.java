package dev.anomalystream.core.model;

import java.io.IOException;
import java.util.Optional;

/** PLACEHOLDER until the drift branch merges: the API the stream view codes against. */
public final class DriftReference {
  public static final String FILE = "drift.bin";

  public static Optional<DriftReference> load(StoredModel stored) throws IOException {
    return Optional.empty();
  }

  public int cells() {
    throw new UnsupportedOperationException();
  }

  public Counts newCounts() {
    return new Counts();
  }

  public DriftDecision decide(Counts counts, double windowSlideMinutes) {
    throw new UnsupportedOperationException();
  }

  /** Placeholder. */
  public static final class Counts {
    public void add(float[] vector, boolean anomalous) {}

    public long messages() {
      return 0;
    }

    public long anomalies() {
      return 0;
    }
  }
}
