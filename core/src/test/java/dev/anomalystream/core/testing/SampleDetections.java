package dev.anomalystream.core.testing;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import java.time.Instant;

/** Scored messages for the tests of what comes after scoring (rows, alerts, digests). */
public final class SampleDetections {
  /** When every sample message was published and scored. */
  public static final Instant TIME = Instant.parse("2026-11-23T09:00:00Z");

  private SampleDetections() {}

  /**
   * The message {@code uid} ("text of uid") as model v1 scored it with the decision knn > 0.5: knn
   * 0.9 outside every cluster when anomalous, knn 0.1 in cluster 0 when not.
   */
  public static Detection scored(String uid, boolean anomaly) {
    return Detection.builder()
        .setMessage(
            InboundMessage.builder()
                .setUid(uid)
                .setText("text of " + uid)
                .setPublishTime(TIME)
                .setEventTime(TIME)
                .build())
        .setCluster(anomaly ? -1 : 0)
        .setProbability(0.5)
        .setOutlierScore(0.2)
        .setKnnScore(anomaly ? 0.9 : 0.1)
        .setAnomaly(anomaly)
        .setDecision("knn>0.5000")
        .setThreshold(0.5)
        .setModelVersion("v1")
        .setEmbeddingModel("m")
        .setProcessedTime(TIME)
        .build();
  }
}
