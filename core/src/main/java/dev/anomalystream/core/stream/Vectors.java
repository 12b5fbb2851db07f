package dev.anomalystream.core.stream;

import java.util.List;

/** Small vector arithmetic on embeddings, for the stream view. */
final class Vectors {
  private Vectors() {}

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  /** The mean direction of unit vectors: their mean, scaled back to unit length. */
  static float[] normalisedMean(List<float[]> vectors) {
    return normalised(mean(vectors));
  }

  static float[] mean(List<float[]> vectors) {
    float[] mean = new float[vectors.get(0).length];
    for (float[] vector : vectors) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += vector[i];
      }
    }
    for (int i = 0; i < mean.length; i++) {
      mean[i] /= vectors.size();
    }
    return mean;
  }

  /** Scaled to unit length in place (a zero vector stays zero), and returned. */
  static float[] normalised(float[] vector) {
    double norm = Math.sqrt(dot(vector, vector));
    if (norm > 0) {
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) (vector[i] / norm);
      }
    }
    return vector;
  }
}
