package dev.anomalystream.core.embedding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link SentenceEmbedder} per JVM for each distinct {@link EmbedderOptions}. A model costs
 * ~100 MB to ~300 MB and its session sizes its own thread pool to the machine, so every DoFn
 * instance and thread of a worker shares one instead of opening its own. The instances live as long
 * as the JVM: callers must not close them.
 */
public final class SharedEmbedders {
  private static final Map<EmbedderOptions, SentenceEmbedder> EMBEDDERS = new ConcurrentHashMap<>();

  private SharedEmbedders() {}

  /**
   * The shared embedder for these options, opened on first use; concurrent first calls wait for the
   * one load. A failed load is not remembered, so a later call retries.
   */
  public static SentenceEmbedder get(EmbedderOptions options) {
    return EMBEDDERS.computeIfAbsent(
        options,
        key -> {
          try {
            return SentenceEmbedder.open(key);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot open embedding model " + key.model(), e);
          }
        });
  }
}
