package dev.anomalystream.core.online;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Half-Space Trees (Tan, Ting and Liu, "Fast anomaly detection for streaming data", IJCAI 2011): an
 * ensemble of random trees that halve a random dimension of their work space at each level, fixed
 * once built, over which points are counted. Each node holds two masses: the reference window's
 * (what scores) and the latest window's (what is being learned); after every {@code windowSize}
 * learned points the latest becomes the reference and counting starts again. A point's score in a
 * tree is {@code r × 2^depth} at the first node on its path whose reference mass is below the size
 * limit (or at the leaf): points in sparse regions stop early with little mass.
 *
 * <p>Inputs are scaled to [0, 1] per dimension by the range the trees were given; each tree's work
 * space is a random box around [0, 1] as the paper builds it, so points a little outside still fall
 * into it. The paper's score is higher for normal points; {@link #anomalyScore} turns it around and
 * into (0, 1] so it thresholds like the project's other scores.
 *
 * <p>The learned state is just the points of the two windows: {@link #referencePoints} and {@link
 * #latestPoints} give them, and a detector rebuilt with the same settings and seed from them has
 * the same masses (what the Beam stage keeps in state).
 */
public final class HalfSpaceTrees {
  /**
   * The ensemble's shape.
   *
   * @param trees how many trees
   * @param depth levels below the root
   * @param windowSize points per window (the paper's ψ)
   * @param seed seeds the trees' split dimensions and work spaces
   */
  public record Settings(int trees, int depth, int windowSize, long seed)
      implements java.io.Serializable {
    /** The paper's 25 trees and window of 250, ten levels (deeper levels keep too little mass). */
    public static Settings defaults() {
      return new Settings(25, 10, 250, 42L);
    }

    public Settings {
      if (trees < 1 || depth < 1 || depth > 20 || windowSize < 10) {
        throw new IllegalArgumentException(
            "Half-Space Trees need trees ≥ 1, depth in 1..20 and a window of at least 10 points,"
                + " were "
                + trees
                + ", "
                + depth
                + ", "
                + windowSize);
      }
    }
  }

  private final Settings settings;
  private final float[] low;
  private final float[] span;
  private final double sizeLimit;
  private final int[][] splitDimension;
  private final float[][] splitValue;
  private final int[][] referenceMass;
  private final int[][] latestMass;
  private final List<float[]> referencePoints = new ArrayList<>();
  private final List<float[]> latestPoints = new ArrayList<>();

  /**
   * @param settings the ensemble's shape
   * @param low each input dimension's low end (scaled to 0)
   * @param high each input dimension's high end (scaled to 1)
   */
  public HalfSpaceTrees(Settings settings, float[] low, float[] high) {
    if (low.length != high.length || low.length == 0) {
      throw new IllegalArgumentException(
          "the input range needs one low and one high per dimension");
    }
    this.settings = settings;
    this.low = low.clone();
    this.span = new float[low.length];
    for (int d = 0; d < low.length; d++) {
      span[d] = high[d] > low[d] ? high[d] - low[d] : 1f;
    }
    this.sizeLimit = 0.1 * settings.windowSize();
    int internalNodes = (1 << settings.depth()) - 1;
    int nodes = (1 << (settings.depth() + 1)) - 1;
    splitDimension = new int[settings.trees()][internalNodes];
    splitValue = new float[settings.trees()][internalNodes];
    referenceMass = new int[settings.trees()][nodes];
    latestMass = new int[settings.trees()][nodes];
    Random random = new Random(settings.seed());
    for (int tree = 0; tree < settings.trees(); tree++) {
      float[] min = new float[low.length];
      float[] max = new float[low.length];
      for (int d = 0; d < low.length; d++) {
        double s = random.nextDouble();
        double reach = 2 * Math.max(s, 1 - s);
        min[d] = (float) (s - reach);
        max[d] = (float) (s + reach);
      }
      build(tree, 0, min, max, random);
    }
  }

  /** The range of each dimension over {@code points}, as the low ends. */
  public static float[] lows(List<float[]> points) {
    float[] low = points.get(0).clone();
    for (float[] point : points) {
      for (int d = 0; d < low.length; d++) {
        low[d] = Math.min(low[d], point[d]);
      }
    }
    return low;
  }

  /** The range of each dimension over {@code points}, as the high ends. */
  public static float[] highs(List<float[]> points) {
    float[] high = points.get(0).clone();
    for (float[] point : points) {
      for (int d = 0; d < high.length; d++) {
        high[d] = Math.max(high[d], point[d]);
      }
    }
    return high;
  }

  private void build(int tree, int node, float[] min, float[] max, Random random) {
    if (node >= splitDimension[tree].length) {
      return;
    }
    int dimension = random.nextInt(min.length);
    float middle = (min[dimension] + max[dimension]) / 2;
    splitDimension[tree][node] = dimension;
    splitValue[tree][node] = middle;
    float[] leftMax = max.clone();
    leftMax[dimension] = middle;
    build(tree, 2 * node + 1, min, leftMax, random);
    float[] rightMin = min.clone();
    rightMin[dimension] = middle;
    build(tree, 2 * node + 2, rightMin, max, random);
  }

  public Settings settings() {
    return settings;
  }

  public int dimension() {
    return low.length;
  }

  /**
   * Starts over from a reference window: {@code reference} (at most a window of points) sets the
   * reference masses, {@code latest} the latest window's so far.
   */
  public void restore(List<float[]> reference, List<float[]> latest) {
    if (reference.size() > settings.windowSize() || latest.size() >= settings.windowSize()) {
      throw new IllegalArgumentException(
          "a window holds at most "
              + settings.windowSize()
              + " points; given "
              + reference.size()
              + " reference and "
              + latest.size()
              + " latest");
    }
    for (int tree = 0; tree < settings.trees(); tree++) {
      java.util.Arrays.fill(referenceMass[tree], 0);
      java.util.Arrays.fill(latestMass[tree], 0);
    }
    referencePoints.clear();
    latestPoints.clear();
    for (float[] point : reference) {
      count(scaled(point), referenceMass);
      referencePoints.add(point);
    }
    for (float[] point : latest) {
      count(scaled(point), latestMass);
      latestPoints.add(point);
    }
  }

  /** The paper's score: larger for points in denser regions of the reference window. */
  public double massScore(float[] point) {
    float[] x = scaled(point);
    double score = 0;
    for (int tree = 0; tree < settings.trees(); tree++) {
      int node = 0;
      int level = 0;
      int[] mass = referenceMass[tree];
      while (node < splitDimension[tree].length && mass[node] >= sizeLimit) {
        node = child(tree, node, x);
        level++;
      }
      score += mass[node] * Math.scalb(1.0, level);
    }
    return score;
  }

  /**
   * The score thresholded like the others, in (0, 1]: 1 for a point in no reference mass at all,
   * towards 0 the denser its region.
   */
  public double anomalyScore(float[] point) {
    return 1.0 / (1.0 + Math.log1p(massScore(point) / settings.trees()));
  }

  /**
   * Counts a point into the latest window; a full latest window becomes the reference.
   *
   * @return true when this point completed a window and the reference changed
   */
  public boolean learn(float[] point) {
    count(scaled(point), latestMass);
    latestPoints.add(point);
    if (latestPoints.size() < settings.windowSize()) {
      return false;
    }
    for (int tree = 0; tree < settings.trees(); tree++) {
      System.arraycopy(latestMass[tree], 0, referenceMass[tree], 0, latestMass[tree].length);
      java.util.Arrays.fill(latestMass[tree], 0);
    }
    referencePoints.clear();
    referencePoints.addAll(latestPoints);
    latestPoints.clear();
    return true;
  }

  /** The points whose masses score (the last full window, or the starting reference). */
  public List<float[]> referencePoints() {
    return List.copyOf(referencePoints);
  }

  /** The points counted into the window being filled. */
  public List<float[]> latestPoints() {
    return List.copyOf(latestPoints);
  }

  private void count(float[] x, int[][] masses) {
    for (int tree = 0; tree < settings.trees(); tree++) {
      int node = 0;
      masses[tree][node]++;
      while (node < splitDimension[tree].length) {
        node = child(tree, node, x);
        masses[tree][node]++;
      }
    }
  }

  private int child(int tree, int node, float[] x) {
    return x[splitDimension[tree][node]] < splitValue[tree][node] ? 2 * node + 1 : 2 * node + 2;
  }

  private float[] scaled(float[] point) {
    if (point.length != low.length) {
      throw new IllegalArgumentException(
          "Half-Space Trees over " + low.length + " dimensions given a point of " + point.length);
    }
    float[] x = new float[point.length];
    for (int d = 0; d < point.length; d++) {
      x[d] = (point[d] - low[d]) / span[d];
    }
    return x;
  }
}
