package dev.anomalystream.core.embedding;

import java.nio.FloatBuffer;

/**
 * Sentence vectors from token vectors. Sequences are right-padded, so the first {@code lengths[i]}
 * tokens of row i are real and the rest are padding, which must not contribute: that is what makes
 * a text's vector independent of the batch it was embedded in.
 */
final class Pooling {
  // as torch.nn.functional.normalize, so an all-zero vector stays zero instead of NaN
  private static final double MIN_NORM = 1e-12;

  private Pooling() {}

  /**
   * Pools a {@code [lengths.length, sequenceLength, dimension]} row-major tensor of token vectors
   * into one vector per sequence.
   */
  static float[][] pool(
      FloatBuffer tokenVectors,
      int[] lengths,
      int sequenceLength,
      int dimension,
      PoolingMode mode) {
    int expected = lengths.length * sequenceLength * dimension;
    if (tokenVectors.remaining() != expected) {
      throw new IllegalArgumentException(
          "token output has "
              + tokenVectors.remaining()
              + " values, expected "
              + lengths.length
              + " x "
              + sequenceLength
              + " x "
              + dimension);
    }
    float[][] pooled = new float[lengths.length][];
    for (int row = 0; row < lengths.length; row++) {
      int rowStart = tokenVectors.position() + row * sequenceLength * dimension;
      pooled[row] = poolRow(tokenVectors, rowStart, lengths[row], dimension, mode);
    }
    return pooled;
  }

  private static float[] poolRow(
      FloatBuffer values, int rowStart, int length, int dimension, PoolingMode mode) {
    float[] vector = new float[dimension];
    switch (mode) {
      case CLS:
        values.get(rowStart, vector);
        return vector;
      case MAX:
        values.get(rowStart, vector);
        for (int token = 1; token < length; token++) {
          int offset = rowStart + token * dimension;
          for (int d = 0; d < dimension; d++) {
            vector[d] = Math.max(vector[d], values.get(offset + d));
          }
        }
        return vector;
      case MEAN:
        for (int token = 0; token < length; token++) {
          int offset = rowStart + token * dimension;
          for (int d = 0; d < dimension; d++) {
            vector[d] += values.get(offset + d);
          }
        }
        for (int d = 0; d < dimension; d++) {
          vector[d] /= length;
        }
        return vector;
      default:
        throw new IllegalArgumentException("unsupported pooling mode " + mode);
    }
  }

  /** Scales the vector to unit Euclidean length, in place. */
  static void normalize(float[] vector) {
    double squares = 0;
    for (float v : vector) {
      squares += (double) v * v;
    }
    double norm = Math.max(Math.sqrt(squares), MIN_NORM);
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) (vector[i] / norm);
    }
  }
}
