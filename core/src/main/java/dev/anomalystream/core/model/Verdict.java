package dev.anomalystream.core.model;

/**
 * The detector's verdict on one message.
 *
 * @param clusterLabel the HDBSCAN cluster it joins, -1 for none
 * @param membershipProbability how firmly it belongs to that cluster, in [0, 1]
 * @param gloshScore HDBSCAN's GLOSH outlier score
 * @param knnScore mean cosine distance to the k nearest training messages
 * @param anomalous the decision
 * @param modelVersion the model version that decided
 */
public record Verdict(
    int clusterLabel,
    double membershipProbability,
    double gloshScore,
    double knnScore,
    boolean anomalous,
    String modelVersion) {

  public double score(ScoreKind kind) {
    return kind == ScoreKind.GLOSH ? gloshScore : knnScore;
  }
}
