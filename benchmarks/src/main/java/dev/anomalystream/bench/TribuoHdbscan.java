package dev.anomalystream.bench;

import java.util.ArrayList;
import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.hdbscan.HdbscanTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Tribuo's HDBSCAN* as an independent implementation to compare against (noise is label 0 there).
 */
public final class TribuoHdbscan {
  private TribuoHdbscan() {}

  /** Tribuo's training labels: 0 for noise, clusters from 1. */
  public static List<Integer> fitLabels(float[][] points, int minClusterSize, int minSamples) {
    ClusteringFactory factory = new ClusteringFactory();
    String[] featureNames = new String[points[0].length];
    for (int d = 0; d < featureNames.length; d++) {
      featureNames[d] = String.format("f%04d", d);
    }
    List<org.tribuo.Example<ClusterID>> examples = new ArrayList<>(points.length);
    for (float[] point : points) {
      double[] values = new double[point.length];
      for (int d = 0; d < point.length; d++) {
        values[d] = point[d];
      }
      examples.add(
          new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, featureNames, values));
    }
    SimpleDataSourceProvenance provenance =
        new SimpleDataSourceProvenance("synthetic points", factory);
    MutableDataset<ClusterID> dataset =
        new MutableDataset<>(new ListDataSource<>(examples, factory, provenance));
    HdbscanTrainer trainer =
        new HdbscanTrainer(
            minClusterSize,
            new L2Distance(),
            minSamples,
            1,
            NeighboursQueryFactoryType.BRUTE_FORCE);
    return trainer.train(dataset).getClusterLabels();
  }
}
