package dev.anomalystream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.cluster.HdbscanResult;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tribuo.clustering.evaluation.ClusteringMetrics;

/** Our HDBSCAN* against Tribuo's, an independent implementation. */
class TribuoHdbscanTest {
  private static final HdbscanParams PARAMS = new HdbscanParams(20, 10);

  @Test
  void agreesWithTribuoOnSeparableData() {
    float[][] points = SyntheticEmbeddings.generate(1200, 32, 4, 0.05, 0.03, 7);
    HdbscanResult ours = Hdbscan.fit(points, PARAMS);
    // Tribuo counts the point itself among its k neighbours differently; the partition is what
    // matters
    List<Integer> tribuo =
        TribuoHdbscan.fitLabels(points, PARAMS.minClusterSize(), PARAMS.minSamples());
    List<Integer> oursShifted =
        Arrays.stream(ours.labels()).map(label -> label + 1).boxed().collect(Collectors.toList());
    double ami = ClusteringMetrics.adjustedMI(oursShifted, tribuo);
    assertEquals(4, ours.clusterCount());
    assertTrue(ami >= 0.9, "adjusted mutual information with Tribuo " + ami);
  }
}
