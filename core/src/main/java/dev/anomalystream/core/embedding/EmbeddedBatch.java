package dev.anomalystream.core.embedding;

/**
 * The vectors of one {@link SentenceEmbedder#embedBatch} call, in input order, and how many of the
 * texts were longer than the token limit and therefore embedded from their beginning only.
 */
public record EmbeddedBatch(float[][] vectors, int truncatedTexts) {}
