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
    float[] mean = new float[vectors.get(0).length];
    for (float[] vector : vectors) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] += vector[i];
      }
    }
    double norm = Math.sqrt(dot(mean, mean));
    if (norm > 0) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (float) (mean[i] / norm);
      }
    }
    return mean;
  }
}
