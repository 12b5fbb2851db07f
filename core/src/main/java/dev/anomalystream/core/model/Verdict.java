package dev.anomalystream.core.model;

/**
 * The detector's verdict on one message.
 *
 * @param clusterLabel the HDBSCAN cluster it joins, -1 for none
 * @param membershipProbability how firmly it belongs to that cluster, in [0, 1]
 * @param gloshScore HDBSCAN's GLOSH outlier score
 * @param knnScore mean cosine distance to the k nearest training messages
 * @param autoencoderScore reconstruction error through the version's autoencoder, NaN when the
 *     version has none
 * @param anomalous the decision
 * @param modelVersion the model version that decided
 * @param mapX the first of its 2-D map coordinates (the version's {@link Pca} basis), NaN when the
 *     version has no map basis
 * @param mapY the second
 * @param knnSimilarities the cosine similarities to the k nearest training messages, largest first
 *     (the kNN score is their mean distance): online learning merges them with its memory's
 */
public record Verdict(
    int clusterLabel,
    double membershipProbability,
    double gloshScore,
    double knnScore,
    double autoencoderScore,
    boolean anomalous,
    String modelVersion,
    double mapX,
    double mapY,
    float[] knnSimilarities) {

  public double score(ScoreKind kind) {
    return switch (kind) {
      case GLOSH -> gloshScore;
      case KNN -> knnScore;
      case AUTOENCODER -> autoencoderScore;
      // learned and decided online (LearnOnline): never part of the trained verdict
      case HST -> Double.NaN;
    };
  }
}
