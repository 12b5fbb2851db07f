package dev.anomalystream.core.cluster;

import java.util.Arrays;

/**
 * What {@link Hdbscan#fit} found for the training points, in the reference library's terms: {@code
 * labels_} (clusters 0..k−1 numbered as the reference numbers them, -1 for noise), {@code
 * probabilities_} and GLOSH {@code outlier_scores_}; plus the model for new points.
 */
public record HdbscanResult(
    int[] labels, double[] probabilities, double[] outlierScores, HdbscanModel model) {

  public int clusterCount() {
    return model.clusterCount();
  }

  /** Points per cluster label. */
  public int[] clusterSizes() {
    int[] sizes = new int[clusterCount()];
    for (int label : labels) {
      if (label >= 0) {
        sizes[label]++;
      }
    }
    return sizes;
  }

  public double noiseFraction() {
    return (double) Arrays.stream(labels).filter(label -> label < 0).count() / labels.length;
  }
}
