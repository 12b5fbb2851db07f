package dev.anomalystream.core.cluster;

/**
 * HDBSCAN* parameters, with the meaning the reference Python {@code hdbscan} library gives them.
 *
 * @param minClusterSize the smallest group of points the condensed tree keeps as a cluster (at
 *     least 2)
 * @param minSamples the k of core distances (at least 1). As in the reference: the fit's core
 *     distance is the distance to the k-th nearest other point; the one approximate prediction uses
 *     for training points counts the point itself as the first of k
 */
public record HdbscanParams(int minClusterSize, int minSamples) implements java.io.Serializable {

  public HdbscanParams {
    if (minClusterSize < 2) {
      throw new IllegalArgumentException(
          "minClusterSize must be at least 2, was " + minClusterSize);
    }
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be at least 1, was " + minSamples);
    }
  }

  /**
   * The reference library's default when min_samples is not given: min_samples = min_cluster_size.
   */
  public static HdbscanParams of(int minClusterSize) {
    return new HdbscanParams(minClusterSize, minClusterSize);
  }
}
