package dev.anomalystream.core.cluster;

import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * k-means centres of a set of vectors, fitted by Tribuo's {@link KMeansTrainer} (k-means++
 * initialisation, Euclidean distance, seeded), and the distance of any vector to its nearest
 * centre, which is the centre k-means assigns it to.
 */
public final class KMeansCentres {
  /** Iterations at most: a window's fit is one of many, and converges within a few. */
  public static final int DEFAULT_ITERATIONS = 25;

  /**
   * Tribuo logs each fit at INFO through java.util.logging: once per window is noise. Held in a
   * field because java.util.logging keeps only weak references to its loggers.
   */
  private static final Logger TRIBUO_KMEANS = quieted(KMeansTrainer.class.getName());

  private final float[][] centres;

  private KMeansCentres(float[][] centres) {
    this.centres = centres;
  }

  /**
   * Fits {@code k} centres ({@code k} is lowered to the number of points); single-threaded, since
   * callers run inside a worker that has its own parallelism.
   */
  public static KMeansCentres fit(float[][] points, int k, long seed) {
    return fit(points, k, seed, DEFAULT_ITERATIONS);
  }

  /** As {@link #fit(float[][], int, long)}, with at most {@code iterations} iterations. */
  public static KMeansCentres fit(float[][] points, int k, long seed, int iterations) {
    if (points.length == 0) {
      throw new IllegalArgumentException("k-means needs at least one point");
    }
    int clusters = Math.max(1, Math.min(k, points.length));
    int dimension = points[0].length;
    String[] names = featureNames(dimension);
    ClusteringFactory factory = new ClusteringFactory();
    MutableDataset<ClusterID> dataset =
        new MutableDataset<>(new SimpleDataSourceProvenance("vectors", factory), factory);
    double[] values = new double[dimension];
    for (float[] point : points) {
      for (int i = 0; i < dimension; i++) {
        values[i] = point[i];
      }
      dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, values));
    }
    KMeansTrainer trainer =
        new KMeansTrainer(
            clusters, iterations, new L2Distance(), KMeansTrainer.Initialisation.PLUSPLUS, 1, seed);
    KMeansModel model = trainer.train(dataset);
    DenseVector[] fitted = model.getCentroidVectors();
    // Tribuo orders a centroid's values by its feature map, which sorts the names: map back by name
    int[] column = columnsByName(model, names);
    float[][] centres = new float[fitted.length][dimension];
    for (int c = 0; c < fitted.length; c++) {
      for (int i = 0; i < dimension; i++) {
        centres[c][i] = column[i] < 0 ? 0f : (float) fitted[c].get(column[i]);
      }
    }
    return new KMeansCentres(centres);
  }

  public int size() {
    return centres.length;
  }

  /**
   * These centres without those that are nearest to fewer than {@code minPoints} of {@code points}:
   * k-means++ seeds far points, so an outlier often becomes a centre of its own and would be at
   * distance zero from it. The same centres when none holds that many.
   */
  public KMeansCentres withoutClustersSmallerThan(float[][] points, int minPoints) {
    int[] counts = new int[centres.length];
    for (float[] point : points) {
      counts[nearest(point)]++;
    }
    float[][] kept =
        IntStream.range(0, centres.length)
            .filter(c -> counts[c] >= minPoints)
            .mapToObj(c -> centres[c])
            .toArray(float[][]::new);
    return kept.length == 0 || kept.length == centres.length ? this : new KMeansCentres(kept);
  }

  public float[] centre(int index) {
    return centres[index].clone();
  }

  /** Every centre, copied. */
  public float[][] centres() {
    float[][] copy = new float[centres.length][];
    for (int c = 0; c < centres.length; c++) {
      copy[c] = centres[c].clone();
    }
    return copy;
  }

  /** The index of the centre nearest {@code vector}. */
  public int nearest(float[] vector) {
    return nearest(centres, vector);
  }

  /** The index of the one of {@code centres} nearest {@code vector} (Euclidean). */
  public static int nearest(float[][] centres, float[] vector) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centres.length; c++) {
      double d = squaredDistance(vector, centres[c]);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best;
  }

  /** The Euclidean distance from {@code vector} to its nearest centre. */
  public double distanceToNearest(float[] vector) {
    return Math.sqrt(squaredDistance(vector, centres[nearest(vector)]));
  }

  private static double squaredDistance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  private static Logger quieted(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.WARNING);
    return logger;
  }

  private static String[] featureNames(int dimension) {
    String[] names = new String[dimension];
    // zero-padded, so the feature map's sorted order is the vector's order
    String format = "d%0" + String.valueOf(dimension).length() + "d";
    for (int i = 0; i < dimension; i++) {
      names[i] = String.format(java.util.Locale.ROOT, format, i);
    }
    return names;
  }

  private static int[] columnsByName(KMeansModel model, String[] names) {
    int[] column = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      var info = model.getFeatureIDMap().get(names[i]);
      // a feature zero in every point never enters the map; its centre value is zero
      column[i] = info == null ? -1 : info.getID();
    }
    return column;
  }
}
