package dev.anomalystream.core.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A fitted HDBSCAN* clustering, holding what {@link #approximatePredict} needs: the training
 * points, their core distances and the condensed tree with its selected clusters.
 *
 * <p>Prediction follows the reference library's {@code approximate_predict} (label and membership
 * probability) and {@code approximate_predict_scores} (GLOSH outlier score): the query's 2 ×
 * minSamples nearest training points give its core distance and the neighbour it joins at the
 * smallest mutual reachability; the condensed tree then places it. One deliberate difference: where
 * the reference divides by an infinite lambda (clusters of exact duplicates) and returns NaN, the
 * outlier score takes its limit (1 for a finite lambda, 0 for an infinite one).
 *
 * <p>Immutable and thread-safe.
 */
public final class HdbscanModel {
  /** "HDBS" */
  private static final int MAGIC = 0x48444253;

  private static final int FORMAT_VERSION = 1;

  /** The result for one query point. */
  public record Prediction(int label, double probability, double outlierScore) {}

  private final HdbscanParams params;
  private final float[][] trainingPoints;
  private final double[] squaredNorms;
  private final double[] coreDistances;
  private final CondensedTree tree;
  // derived from the tree
  private final int[] labelOfCluster;
  private final double[] probabilityMaxLambda;
  private final double[] outlierMaxLambda;
  private final int selectedCount;

  HdbscanModel(
      HdbscanParams params,
      float[][] trainingPoints,
      double[] squaredNorms,
      double[] coreDistances,
      CondensedTree tree) {
    this.params = params;
    this.trainingPoints = trainingPoints;
    this.squaredNorms = squaredNorms;
    this.coreDistances = coreDistances;
    this.tree = tree;
    int clusters = tree.clusterCount();
    labelOfCluster = new int[clusters];
    probabilityMaxLambda = new double[clusters];
    double[] ownMaxLambdas = tree.ownMaxLambdas();
    labelOfCluster[0] = -1;
    int nextLabel = 0;
    // parents precede children, so a cluster inherits the label of the selected cluster above it
    for (int cluster = 1; cluster < clusters; cluster++) {
      int parent = tree.clusterParent[cluster];
      if (tree.selected[cluster]) {
        labelOfCluster[cluster] = nextLabel++;
        probabilityMaxLambda[cluster] = ownMaxLambdas[cluster];
      } else {
        labelOfCluster[cluster] = labelOfCluster[parent];
        probabilityMaxLambda[cluster] = probabilityMaxLambda[parent];
      }
    }
    selectedCount = nextLabel;
    outlierMaxLambda = tree.subtreeMaxLambdas();
  }

  public HdbscanParams params() {
    return params;
  }

  public int dimension() {
    return trainingPoints[0].length;
  }

  public int trainingSize() {
    return trainingPoints.length;
  }

  public int clusterCount() {
    return selectedCount;
  }

  /** The training points themselves, not a copy (shared with other scorers): do not modify. */
  public float[][] trainingPoints() {
    return trainingPoints;
  }

  /** Cluster label of each training point, -1 for noise. */
  int[] trainingLabels() {
    int[] labels = new int[trainingSize()];
    Arrays.setAll(labels, point -> labelOfCluster[tree.pointParent[point]]);
    return labels;
  }

  /**
   * The reference's {@code probabilities_}: lambda at which a point leaves, over its cluster's
   * largest.
   */
  double[] trainingProbabilities(int[] labels) {
    double[] probabilities = new double[trainingSize()];
    for (int point = 0; point < probabilities.length; point++) {
      if (labels[point] >= 0) {
        double maxLambda = probabilityMaxLambda[tree.pointParent[point]];
        double lambda = tree.pointLambda[point];
        probabilities[point] =
            maxLambda == 0.0 || Double.isInfinite(lambda)
                ? 1.0
                : Math.min(lambda, maxLambda) / maxLambda;
      }
    }
    return probabilities;
  }

  /** GLOSH: 1 − lambda at which the point leaves / largest lambda in its cluster's subtree. */
  double[] trainingOutlierScores() {
    double[] scores = new double[trainingSize()];
    for (int point = 0; point < scores.length; point++) {
      double lambda = tree.pointLambda[point];
      scores[point] =
          Double.isInfinite(lambda)
              ? 0.0
              : glosh(outlierMaxLambda[tree.pointParent[point]], lambda);
    }
    return scores;
  }

  private static double glosh(double maxLambda, double lambda) {
    if (maxLambda == 0.0) {
      return 0.0;
    }
    if (Double.isInfinite(maxLambda)) {
      return Double.isInfinite(lambda) ? 0.0 : 1.0;
    }
    return (maxLambda - lambda) / maxLambda;
  }

  /**
   * Label (-1 for noise), membership probability and GLOSH outlier score of each query, in
   * parallel. Outlier scores may be slightly negative for queries denser than any training point of
   * their cluster, as in the reference.
   */
  public Prediction[] approximatePredict(float[][] queries) {
    Objects.requireNonNull(queries, "queries");
    for (int q = 0; q < queries.length; q++) {
      if (queries[q] == null || queries[q].length != dimension()) {
        throw new IllegalArgumentException(
            "query "
                + q
                + " has dimension "
                + (queries[q] == null ? "null" : queries[q].length)
                + ", the model has "
                + dimension());
      }
    }
    Prediction[] predictions = new Prediction[queries.length];
    if (selectedCount == 0) {
      // no clusters: everything is noise and a complete outlier, as the reference answers
      Arrays.fill(predictions, new Prediction(-1, 0.0, 1.0));
      return predictions;
    }
    int minSamples = params.minSamples();
    int k = Math.min(2 * minSamples, trainingSize());
    EuclideanDistances.Neighbours neighbours =
        EuclideanDistances.nearest(queries, trainingPoints, squaredNorms, k);
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(
            q ->
                predictions[q] =
                    place(neighbours.squaredDistances[q], neighbours.indices[q], minSamples));
    return predictions;
  }

  private Prediction place(double[] squaredDistances, int[] indices, int minSamples) {
    double queryCore = Math.sqrt(squaredDistances[minSamples]);
    int nearest = indices[0];
    double nearestReachability = Double.POSITIVE_INFINITY;
    for (int i = 0; i < indices.length; i++) {
      double reachability =
          Math.max(Math.max(coreDistances[indices[i]], queryCore), Math.sqrt(squaredDistances[i]));
      if (reachability < nearestReachability) {
        nearestReachability = reachability;
        nearest = indices[i];
      }
    }
    double lambda = nearestReachability > 0.0 ? 1.0 / nearestReachability : Double.MAX_VALUE;
    int neighbourCluster = tree.pointParent[nearest];
    double neighbourLambda = tree.pointLambda[nearest];

    // label: climb from the neighbour's cluster while the query would already have left it
    int cluster = neighbourCluster;
    if (neighbourLambda > lambda) {
      while (cluster > 0 && tree.clusterBirth[cluster] >= lambda) {
        cluster = tree.clusterParent[cluster];
      }
    }
    int label = labelOfCluster[cluster];
    double probability = 0.0;
    if (label >= 0) {
      double maxLambda = probabilityMaxLambda[cluster];
      probability = maxLambda > 0.0 ? Math.min(maxLambda, lambda) / maxLambda : 1.0;
    }

    // outlier score: relative to the neighbour's own cluster; a query equal to a training point
    // takes that point's lambda, so it scores exactly as the point does
    double scoreLambda = squaredDistances[0] == 0.0 ? neighbourLambda : lambda;
    return new Prediction(
        label, probability, glosh(outlierMaxLambda[neighbourCluster], scoreLambda));
  }

  /**
   * Writes the compact binary form: magic, format version, parameters, points as floats, core
   * distances, the condensed tree, and a CRC-32 of all of it.
   */
  public void writeTo(DataOutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    DataOutputStream body = new DataOutputStream(new CheckedOutputStream(out, crc));
    body.writeInt(MAGIC);
    body.writeInt(FORMAT_VERSION);
    body.writeInt(params.minClusterSize());
    body.writeInt(params.minSamples());
    body.writeInt(trainingSize());
    body.writeInt(dimension());
    ByteBuffer row = ByteBuffer.allocate(Float.BYTES * dimension());
    for (float[] point : trainingPoints) {
      row.clear();
      row.asFloatBuffer().put(point);
      body.write(row.array());
    }
    for (int point = 0; point < trainingSize(); point++) {
      body.writeDouble(coreDistances[point]);
      body.writeInt(tree.pointParent[point]);
      body.writeDouble(tree.pointLambda[point]);
    }
    body.writeInt(tree.clusterCount());
    for (int cluster = 0; cluster < tree.clusterCount(); cluster++) {
      body.writeInt(tree.clusterParent[cluster]);
      body.writeDouble(tree.clusterBirth[cluster]);
      body.writeBoolean(tree.selected[cluster]);
    }
    body.flush();
    out.writeLong(crc.getValue());
    out.flush();
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws IOException naming the problem when the stream is truncated, is not an HDBSCAN model,
   *     has another format version, or fails its checksum or consistency checks
   */
  public static HdbscanModel readFrom(DataInputStream in) throws IOException {
    CRC32 crc = new CRC32();
    DataInputStream body = new DataInputStream(new CheckedInputStream(in, crc));
    try {
      int magic = body.readInt();
      if (magic != MAGIC) {
        throw new IOException(
            String.format(
                "not an HDBSCAN model: magic number 0x%08X, expected 0x%08X", magic, MAGIC));
      }
      int version = body.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            "unsupported HDBSCAN model format version "
                + version
                + ", this code reads "
                + FORMAT_VERSION);
      }
      HdbscanParams params;
      try {
        params = new HdbscanParams(body.readInt(), body.readInt());
      } catch (IllegalArgumentException e) {
        throw new IOException("corrupt HDBSCAN model: " + e.getMessage(), e);
      }
      int size = body.readInt();
      int dimension = body.readInt();
      if (size <= params.minSamples()
          || dimension < 1
          || (long) size * dimension > Integer.MAX_VALUE) {
        throw new IOException(
            "corrupt HDBSCAN model: " + size + " points of dimension " + dimension);
      }
      float[][] points = new float[size][];
      byte[] rowBytes = new byte[Float.BYTES * dimension];
      for (int point = 0; point < size; point++) {
        body.readFully(rowBytes);
        points[point] = new float[dimension];
        ByteBuffer.wrap(rowBytes).asFloatBuffer().get(points[point]);
      }
      double[] coreDistances = new double[size];
      int[] pointParent = new int[size];
      double[] pointLambda = new double[size];
      for (int point = 0; point < size; point++) {
        coreDistances[point] = body.readDouble();
        pointParent[point] = body.readInt();
        pointLambda[point] = body.readDouble();
      }
      int clusterCount = body.readInt();
      if (clusterCount < 1 || clusterCount > size) {
        throw new IOException(
            "corrupt HDBSCAN model: " + clusterCount + " clusters for " + size + " points");
      }
      int[] clusterParent = new int[clusterCount];
      double[] clusterBirth = new double[clusterCount];
      boolean[] selected = new boolean[clusterCount];
      for (int cluster = 0; cluster < clusterCount; cluster++) {
        clusterParent[cluster] = body.readInt();
        clusterBirth[cluster] = body.readDouble();
        selected[cluster] = body.readBoolean();
      }
      long expectedCrc = crc.getValue();
      long storedCrc = in.readLong();
      if (storedCrc != expectedCrc) {
        throw new IOException("corrupt HDBSCAN model: checksum mismatch");
      }
      checkTreeLinks(pointParent, clusterParent);
      CondensedTree tree =
          new CondensedTree(pointParent, pointLambda, clusterParent, clusterBirth, selected);
      return new HdbscanModel(
          params, points, EuclideanDistances.squaredNorms(points), coreDistances, tree);
    } catch (EOFException e) {
      throw new IOException(
          "truncated HDBSCAN model stream: it ended before the model was complete", e);
    }
  }

  private static void checkTreeLinks(int[] pointParent, int[] clusterParent) throws IOException {
    if (clusterParent[0] != -1) {
      throw new IOException("corrupt HDBSCAN model: cluster 0 is not the root");
    }
    for (int cluster = 1; cluster < clusterParent.length; cluster++) {
      if (clusterParent[cluster] < 0 || clusterParent[cluster] >= cluster) {
        throw new IOException(
            "corrupt HDBSCAN model: cluster " + cluster + " has parent " + clusterParent[cluster]);
      }
    }
    for (int point = 0; point < pointParent.length; point++) {
      if (pointParent[point] < 0 || pointParent[point] >= clusterParent.length) {
        throw new IOException(
            "corrupt HDBSCAN model: point " + point + " has cluster " + pointParent[point]);
      }
    }
  }
}
