package dev.anomalystream.core.embedding;

/**
 * How per-token hidden states become one sentence vector (sentence-transformers' pooling modes).
 */
public enum PoolingMode {
  /** Average of the token vectors, padding excluded (sentence-transformers' default). */
  MEAN,
  /** The vector of the first token ([CLS]). */
  CLS,
  /** Element-wise maximum over the token vectors, padding excluded. */
  MAX
}
