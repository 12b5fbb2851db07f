package dev.anomalystream.core.detection;

import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * What the detector concluded about one message: one BigQuery row.
 *
 * @param cluster HDBSCAN approximate-predict cluster, -1 = outside every cluster
 * @param probability membership probability in that cluster
 * @param outlierScore GLOSH outlier score, or null when not computed
 * @param knnScore mean cosine distance to the k nearest training vectors, or null
 * @param isAnomaly the decision
 * @param decision the rule that decided, e.g. {@code glosh>0.83}, {@code knn>0.61}, {@code cluster}
 * @param threshold the threshold applied, or null for the cluster rule
 * @param embedding the L2-normalised embedding when rows keep it, else null
 */
@DefaultCoder(DetectionCoder.class)
public record Detection(
    InboundMessage message,
    int cluster,
    double probability,
    Double outlierScore,
    Double knnScore,
    boolean isAnomaly,
    String decision,
    Double threshold,
    String modelVersion,
    String embeddingModel,
    Instant processedTime,
    float[] embedding)
    implements Serializable {

  public Detection {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(embeddingModel, "embeddingModel");
    processedTime =
        Objects.requireNonNull(processedTime, "processedTime").truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The score the decision compared with the threshold, or the GLOSH score under the cluster rule.
   */
  public Double decisionScore() {
    return decision.startsWith("knn") ? knnScore : outlierScore;
  }

  /** Milliseconds from publish to processing: the detector's end-to-end latency. */
  public long latencyMillis() {
    return processedTime.toEpochMilli() - message.publishTime().toEpochMilli();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Detection d
        && message.equals(d.message)
        && cluster == d.cluster
        && Double.compare(probability, d.probability) == 0
        && Objects.equals(outlierScore, d.outlierScore)
        && Objects.equals(knnScore, d.knnScore)
        && isAnomaly == d.isAnomaly
        && decision.equals(d.decision)
        && Objects.equals(threshold, d.threshold)
        && modelVersion.equals(d.modelVersion)
        && embeddingModel.equals(d.embeddingModel)
        && processedTime.equals(d.processedTime)
        && Arrays.equals(embedding, d.embedding);
  }

  @Override
  public int hashCode() {
    return Objects.hash(message, cluster, isAnomaly, modelVersion, processedTime);
  }
}
