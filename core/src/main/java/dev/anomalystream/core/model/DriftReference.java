package dev.anomalystream.core.model;

import dev.anomalystream.core.cluster.KMeansCentres;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * The reference a window of scored messages is compared with to tell drift: k-means cells of the
 * training vectors with the share of the fit nearest each, and the share of normal messages the
 * decision flags.
 *
 * <p>The statistic is a chi-square goodness-of-fit test over K + 1 cells: the window's unflagged
 * messages counted per nearest reference cell, and one cell for its flagged messages; expected
 * counts are {@code n (1 - a) share_k} and {@code n a}. A rise in off-topic messages fills the
 * anomaly cell; a shift in the mix of normal topics, which flags no single message, moves the
 * normal cells. The window's effect size is Cohen's {@code w = sqrt(chi2 / n)}; its score is {@code
 * -log10(p)}, with p from the statistic's two parts (flagged versus not, and the mix among the
 * normal cells with K - 1 degrees of freedom) combined by Fisher's method, the first part's p being
 * the exact binomial tail: its expected count is too small in small windows for the chi-square
 * tail, which made null windows of 30 messages drift 20 times too often.
 *
 * <p>The threshold allows {@code targetFalseDriftRate} false drift windows per day: each window is
 * tested at {@code alpha = target / windowsPerDay}. Shares estimated from a finite fit are not the
 * true ones, so a large window of normal traffic would look drifted by the estimation error alone:
 * the mix part is divided by {@code 1 + n / M} for shares counted over M fitted vectors (the
 * two-sample chi-square of window against fit). Whatever else makes normal windows unlike the fit
 * the training checks by resampling windows from the held-out normal messages: when the analytic
 * threshold lets more of them drift than alpha at the largest simulated size, where such errors
 * weigh most, it also requires a minimum effect, the least w that keeps the share of drifted null
 * windows of that size at or below alpha. The rates at every size are recorded.
 *
 * <p>Immutable and thread-safe; {@link Counts} are not.
 */
public final class DriftReference implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String FILE = "drift.bin";
  public static final int DEFAULT_CELLS = 8;

  /** False drift windows per day the threshold allows unless told otherwise. */
  public static final double DEFAULT_TARGET_FALSE_DRIFT_RATE = 0.1;

  public static final String STATISTIC =
      "chi-square over reference cells + anomaly cell (p: Fisher's combination of the normal-cell"
          + " mix, K-1 df, corrected for the estimated shares, and the anomaly cell's exact"
          + " binomial tail)";

  /** Windows with fewer messages never drift: the chi-square approximation needs counts. */
  public static final int MIN_MESSAGES = 5;

  /**
   * The slide the minimum effect is calibrated for: the detector's default. A longer slide tests
   * fewer windows a day, so the effect set here is stricter than it needs.
   */
  public static final double ASSUMED_WINDOW_SLIDE_MINUTES = 1;

  static final int MAX_FIT_SAMPLE = 5000;
  static final int[] SIMULATED_WINDOW_MESSAGES = {30, 100, 300, 1000};
  static final int SIMULATION_DRAWS = 20_000;

  private static final double MINUTES_PER_DAY = 24 * 60;
  private static final int KMEANS_ITERATIONS = 100;
  private static final int BINARY_FORMAT = 1;

  /** Fisher's method: {@code -2 (ln p1 + ln p2)} of two independent p is chi-square, 4 df. */
  private static final ChiSquaredDistribution FISHER_COMBINATION = ChiSquaredDistribution.of(4);

  private final float[][] centres;
  private final double[] shares;
  private final int referenceSize;
  private final double expectedAnomalyRate;
  private final double targetFalseDriftRate;
  private final double minEffect;
  private final List<ModelMetadata.NullSimulation> nullSimulations;

  private DriftReference(
      float[][] centres,
      double[] shares,
      int referenceSize,
      double expectedAnomalyRate,
      double targetFalseDriftRate,
      double minEffect,
      List<ModelMetadata.NullSimulation> nullSimulations) {
    this.centres = centres;
    this.shares = shares;
    this.referenceSize = referenceSize;
    this.expectedAnomalyRate = expectedAnomalyRate;
    this.targetFalseDriftRate = targetFalseDriftRate;
    this.minEffect = minEffect;
    this.nullSimulations = List.copyOf(nullSimulations);
  }

  /**
   * Fits the reference cells on (a seeded sample of) {@code fitVectors}, takes the expected anomaly
   * rate from the flags of the held-out normal messages, and calibrates the threshold on windows
   * resampled from them.
   *
   * @param fitVectors the L2-normalised vectors the model was fitted on
   * @param calibrationVectors held-out normal vectors
   * @param calibrationFlagged whether the model's decision flags each of them
   * @param targetFalseDriftRate false drift windows per day, positive
   */
  public static DriftReference fit(
      float[][] fitVectors,
      float[][] calibrationVectors,
      boolean[] calibrationFlagged,
      double targetFalseDriftRate,
      long seed) {
    if (!(targetFalseDriftRate > 0 && Double.isFinite(targetFalseDriftRate))) {
      throw new IllegalArgumentException(
          "the target false drift rate must be a positive number of windows per day, was "
              + targetFalseDriftRate);
    }
    if (fitVectors.length == 0) {
      throw new IllegalArgumentException("the drift reference needs fitted vectors");
    }
    if (calibrationVectors.length == 0 || calibrationVectors.length != calibrationFlagged.length) {
      throw new IllegalArgumentException(
          "the drift reference needs one flag per held-out vector and at least one, got "
              + calibrationVectors.length
              + " vectors and "
              + calibrationFlagged.length
              + " flags");
    }
    int cells = Math.min(DEFAULT_CELLS, fitVectors.length);
    float[][] centres =
        KMeansCentres.fit(sample(fitVectors, MAX_FIT_SAMPLE, seed), cells, seed, KMEANS_ITERATIONS)
            .centres();
    long[] fitCounts = new long[cells];
    for (float[] vector : fitVectors) {
      fitCounts[KMeansCentres.nearest(centres, vector)]++;
    }
    // a cell no fitted vector is nearest to still gets half a vector: an expected count of zero
    // would make any message there an infinite statistic
    double[] shares = new double[cells];
    double total = 0;
    for (int k = 0; k < cells; k++) {
      shares[k] = Math.max(fitCounts[k], 0.5);
      total += shares[k];
    }
    for (int k = 0; k < cells; k++) {
      shares[k] /= total;
    }
    int[] calibrationCells = new int[calibrationVectors.length];
    int flagged = 0;
    for (int i = 0; i < calibrationVectors.length; i++) {
      calibrationCells[i] = KMeansCentres.nearest(centres, calibrationVectors[i]);
      flagged += calibrationFlagged[i] ? 1 : 0;
    }
    // kept off 0 and 1 for the same reason as the shares
    double half = 0.5 / calibrationVectors.length;
    double expectedAnomalyRate =
        Math.min(1 - half, Math.max(half, (double) flagged / calibrationVectors.length));
    DriftReference analytic =
        new DriftReference(
            centres,
            shares,
            fitVectors.length,
            expectedAnomalyRate,
            targetFalseDriftRate,
            0,
            List.of());
    return analytic.calibrated(calibrationCells, calibrationFlagged, seed);
  }

  /** The reference of a stored version; empty for versions trained before drift was measured. */
  public static Optional<DriftReference> load(StoredModel stored) throws IOException {
    if (!stored.fileNames().contains(FILE)) {
      return Optional.empty();
    }
    try (DataInputStream in = stored.open(FILE)) {
      return Optional.of(readFrom(in));
    }
  }

  public int cells() {
    return centres.length;
  }

  public int dimension() {
    return centres[0].length;
  }

  /** The reference cell nearest {@code vector}. */
  public int cellOf(float[] vector) {
    if (vector.length != dimension()) {
      throw new IllegalArgumentException(
          "a "
              + vector.length
              + "-dimensional vector for a "
              + dimension()
              + "-dimensional reference");
    }
    return KMeansCentres.nearest(centres, vector);
  }

  /** An empty window's counts. */
  public Counts newCounts() {
    return new Counts(this);
  }

  /**
   * Tests a window against the reference.
   *
   * @param windowSlideMinutes how often the detector starts a window, which sets how many windows a
   *     day share the target false drift rate
   */
  public DriftDecision decide(Counts counts, double windowSlideMinutes) {
    if (counts.normal.length != cells()) {
      throw new IllegalArgumentException(
          "counts of " + counts.normal.length + " cells for a reference of " + cells());
    }
    double threshold = threshold(windowSlideMinutes);
    long n = counts.messages();
    if (n < MIN_MESSAGES) {
      return new DriftDecision(0, threshold, 0, minEffect, false);
    }
    WindowTest test =
        test(
            counts.normal,
            counts.anomalies,
            mixDistribution(),
            BinomialDistribution.of(Math.toIntExact(n), expectedAnomalyRate));
    return new DriftDecision(
        test.score(),
        threshold,
        test.effect(),
        minEffect,
        test.score() >= threshold && test.effect() >= minEffect);
  }

  /** The score a window must reach when a window starts every {@code windowSlideMinutes}. */
  public double threshold(double windowSlideMinutes) {
    if (!(windowSlideMinutes > 0 && Double.isFinite(windowSlideMinutes))) {
      throw new IllegalArgumentException(
          "the window slide must be a positive number of minutes, was " + windowSlideMinutes);
    }
    return -Math.log10(perWindowFalseDriftRate(windowSlideMinutes));
  }

  /** The drift record of the version's metadata. */
  public ModelMetadata.Drift metadata() {
    return new ModelMetadata.Drift(
        STATISTIC,
        cells(),
        Arrays.stream(shares).boxed().toList(),
        referenceSize,
        expectedAnomalyRate,
        targetFalseDriftRate,
        ASSUMED_WINDOW_SLIDE_MINUTES,
        threshold(ASSUMED_WINDOW_SLIDE_MINUTES),
        minEffect,
        MIN_MESSAGES,
        nullSimulations);
  }

  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(BINARY_FORMAT);
    out.writeInt(cells());
    out.writeInt(dimension());
    for (float[] centre : centres) {
      for (float value : centre) {
        out.writeFloat(value);
      }
    }
    for (double share : shares) {
      out.writeDouble(share);
    }
    out.writeInt(referenceSize);
    out.writeDouble(expectedAnomalyRate);
    out.writeDouble(targetFalseDriftRate);
    out.writeDouble(minEffect);
    out.writeInt(nullSimulations.size());
    for (ModelMetadata.NullSimulation simulation : nullSimulations) {
      out.writeInt(simulation.windowMessages());
      out.writeInt(simulation.draws());
      out.writeDouble(simulation.falseDriftRateOfThreshold());
      out.writeDouble(simulation.falseDriftRate());
      out.writeDouble(simulation.perWindowTarget());
    }
    out.flush();
  }

  public static DriftReference readFrom(DataInputStream in) throws IOException {
    int format = in.readInt();
    if (format != BINARY_FORMAT) {
      throw new IOException(
          "drift reference format " + format + " is not the one this code reads, " + BINARY_FORMAT);
    }
    int cells = in.readInt();
    int dimension = in.readInt();
    if (cells < 1 || dimension < 1) {
      throw new IOException(
          "drift reference with " + cells + " cells of dimension " + dimension + " is corrupt");
    }
    float[][] centres = new float[cells][dimension];
    for (float[] centre : centres) {
      for (int d = 0; d < dimension; d++) {
        centre[d] = in.readFloat();
      }
    }
    double[] shares = new double[cells];
    for (int k = 0; k < cells; k++) {
      shares[k] = in.readDouble();
    }
    int referenceSize = in.readInt();
    double expectedAnomalyRate = in.readDouble();
    double targetFalseDriftRate = in.readDouble();
    double minEffect = in.readDouble();
    int simulationCount = in.readInt();
    List<ModelMetadata.NullSimulation> simulations = new ArrayList<>();
    for (int s = 0; s < simulationCount; s++) {
      simulations.add(
          new ModelMetadata.NullSimulation(
              in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble()));
    }
    return new DriftReference(
        centres,
        shares,
        referenceSize,
        expectedAnomalyRate,
        targetFalseDriftRate,
        minEffect,
        simulations);
  }

  /**
   * One window's messages: unflagged ones counted per nearest reference cell, flagged ones
   * together. Mutable and not thread-safe; {@link #merge} adds another part of the same window.
   */
  public static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DriftReference reference;
    private final long[] normal;
    private long anomalies;

    private Counts(DriftReference reference) {
      this.reference = reference;
      this.normal = new long[reference.cells()];
    }

    /** Counts a message of the window. */
    public void add(float[] vector, boolean anomalous) {
      if (anomalous) {
        anomalies++;
      } else {
        normal[reference.cellOf(vector)]++;
      }
    }

    /** Adds the messages {@code other} counted, for combining parts of one window. */
    public void merge(Counts other) {
      if (other.normal.length != normal.length) {
        throw new IllegalArgumentException(
            "counts of " + other.normal.length + " cells merged into counts of " + normal.length);
      }
      for (int k = 0; k < normal.length; k++) {
        normal[k] += other.normal[k];
      }
      anomalies += other.anomalies;
    }

    public long messages() {
      return Arrays.stream(normal).sum() + anomalies;
    }

    public long anomalies() {
      return anomalies;
    }
  }

  private double perWindowFalseDriftRate(double windowSlideMinutes) {
    return targetFalseDriftRate * windowSlideMinutes / MINUTES_PER_DAY;
  }

  /** The chi-square distribution of the normal cells' mix; null with a single cell (no mix). */
  private ChiSquaredDistribution mixDistribution() {
    return cells() > 1 ? ChiSquaredDistribution.of(cells() - 1) : null;
  }

  /**
   * @param score {@code -log10(p)}
   * @param effect Cohen's w of the chi-square over all K + 1 cells
   */
  private record WindowTest(double score, double effect) {}

  /**
   * Tests a window of {@code n = sum(normal) + anomalies} messages. The effect is that of the
   * chi-square over all K + 1 cells. Its p is computed from the statistic's two parts, which sum to
   * it up to a factor near 1: flagged versus unflagged, and the mix of the unflagged among the
   * normal cells. The first part's expected count {@code n a} is well under 1 in a small window at
   * a 1 % false-alarm rate, where its chi-square tail is far too light (2 flagged messages of 30
   * would score like a thousandfold rarer window), so its p is the exact binomial tail P(X >= A)
   * instead; a window with fewer flagged messages than expected is no alert. The mix part,
   * corrected for the shares being estimated, is chi-square with K - 1 degrees of freedom. Fisher's
   * method combines the two p.
   */
  private WindowTest test(
      long[] normal,
      long anomalies,
      ChiSquaredDistribution mixDistribution,
      BinomialDistribution anomalyDistribution) {
    long unflagged = Arrays.stream(normal).sum();
    long n = unflagged + anomalies;
    double chiSquare = 0;
    double mix = 0;
    for (int k = 0; k < normal.length; k++) {
      double expected = n * (1 - expectedAnomalyRate) * shares[k];
      double difference = normal[k] - expected;
      chiSquare += difference * difference / expected;
      double expectedOfUnflagged = unflagged * shares[k];
      double mixDifference = normal[k] - expectedOfUnflagged;
      mix += unflagged == 0 ? 0 : mixDifference * mixDifference / expectedOfUnflagged;
    }
    double expectedAnomalies = n * expectedAnomalyRate;
    chiSquare +=
        (anomalies - expectedAnomalies) * (anomalies - expectedAnomalies) / expectedAnomalies;
    // the shares are estimates from referenceSize vectors: the window's deviation from them has
    // (1 + unflagged / referenceSize) times the variance of a deviation from the true shares (the
    // two-sample chi-square of window against fit), which would otherwise grow with the window
    double mixP =
        mixDistribution == null || unflagged == 0
            ? 1
            : mixDistribution.survivalProbability(mix / (1 + (double) unflagged / referenceSize));
    double anomalyP =
        anomalies == 0 ? 1 : anomalyDistribution.survivalProbability((int) anomalies - 1);
    double fisher = -2 * (Math.log(floored(mixP)) + Math.log(floored(anomalyP)));
    double p = FISHER_COMBINATION.survivalProbability(fisher);
    return new WindowTest(-Math.log10(floored(p)), Math.sqrt(chiSquare / n));
  }

  /** p kept above 0, so its logarithm and score stay finite when it underflows. */
  private static double floored(double p) {
    return Math.max(p, Double.MIN_VALUE);
  }

  /**
   * This reference with its minimum effect set, and the null simulations recorded, from windows
   * drawn with replacement from the held-out messages (their cells and flags).
   */
  private DriftReference calibrated(int[] calibrationCells, boolean[] flagged, long seed) {
    double alpha = perWindowFalseDriftRate(ASSUMED_WINDOW_SLIDE_MINUTES);
    double threshold = threshold(ASSUMED_WINDOW_SLIDE_MINUTES);
    ChiSquaredDistribution mixDistribution = mixDistribution();
    Random random = new Random(seed);
    int sizes = SIMULATED_WINDOW_MESSAGES.length;
    double[][] scores = new double[sizes][SIMULATION_DRAWS];
    double[][] effects = new double[sizes][SIMULATION_DRAWS];
    long[] normal = new long[cells()];
    for (int s = 0; s < sizes; s++) {
      int messages = SIMULATED_WINDOW_MESSAGES[s];
      BinomialDistribution anomalyDistribution =
          BinomialDistribution.of(messages, expectedAnomalyRate);
      for (int draw = 0; draw < SIMULATION_DRAWS; draw++) {
        Arrays.fill(normal, 0);
        long anomalies = 0;
        for (int m = 0; m < messages; m++) {
          int i = random.nextInt(calibrationCells.length);
          if (flagged[i]) {
            anomalies++;
          } else {
            normal[calibrationCells[i]]++;
          }
        }
        WindowTest test = test(normal, anomalies, mixDistribution, anomalyDistribution);
        scores[s][draw] = test.score();
        effects[s][draw] = test.effect();
      }
    }
    // the shares' estimation error grows with the window, so the largest size sets the effect; an
    // effect set at a small size, where w is noisy, would blind large windows
    int allowed = (int) Math.floor(alpha * SIMULATION_DRAWS);
    double effect = effectAllowing(scores[sizes - 1], effects[sizes - 1], threshold, allowed);
    List<ModelMetadata.NullSimulation> simulations = new ArrayList<>();
    for (int s = 0; s < sizes; s++) {
      simulations.add(
          new ModelMetadata.NullSimulation(
              SIMULATED_WINDOW_MESSAGES[s],
              SIMULATION_DRAWS,
              share(scores[s], effects[s], threshold, 0),
              share(scores[s], effects[s], threshold, effect),
              alpha));
    }
    return new DriftReference(
        centres,
        shares,
        referenceSize,
        expectedAnomalyRate,
        targetFalseDriftRate,
        effect,
        simulations);
  }

  /**
   * The least minimum effect under which at most {@code allowed} of the windows reach both the
   * threshold and it: 0 when the threshold alone lets no more through.
   */
  private static double effectAllowing(
      double[] scores, double[] effects, double threshold, int allowed) {
    double[] overThreshold =
        IntStream.range(0, scores.length)
            .filter(i -> scores[i] >= threshold)
            .mapToDouble(i -> effects[i])
            .sorted()
            .toArray();
    if (overThreshold.length <= allowed) {
      return 0;
    }
    // just above the effect of the first window too many, since drift needs w >= min_effect
    return Math.nextUp(overThreshold[overThreshold.length - 1 - allowed]);
  }

  private static double share(
      double[] scores, double[] effects, double threshold, double minEffect) {
    int drifted = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] >= threshold && effects[i] >= minEffect) {
        drifted++;
      }
    }
    return (double) drifted / scores.length;
  }

  /** At most {@code limit} of {@code vectors}, a seeded uniform subset when there are more. */
  private static float[][] sample(float[][] vectors, int limit, long seed) {
    if (vectors.length <= limit) {
      return vectors;
    }
    float[][] shuffled = vectors.clone();
    Random random = new Random(seed);
    for (int i = 0; i < limit; i++) {
      int j = i + random.nextInt(shuffled.length - i);
      float[] swap = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = swap;
    }
    return Arrays.copyOf(shuffled, limit);
  }
}
