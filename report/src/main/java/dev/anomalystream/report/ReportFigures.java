package dev.anomalystream.report;

import dev.anomalystream.core.evaluation.ConfusionCounts;
import dev.anomalystream.core.evaluation.ScoreEvaluation;
import dev.anomalystream.core.model.Pca;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * Every figure the report shows, computed once from the evaluation's scores, embeddings and
 * detector output: ROC curves, the per-class table, the decision at the threshold, the score
 * histograms, the PCA projection and the anomaly rate per minute. The page and its charts only draw
 * these; nothing is recomputed while rendering.
 */
final class ReportFigures {
  static final int HISTOGRAM_BINS = 40;
  // the upper end of the histograms' axis: scores above it share the last bin, so a long tail of
  // outliers does not squeeze the bulk of the distribution into a few bins
  private static final double HISTOGRAM_UPPER_QUANTILE = 0.995;
  private static final int HISTOGRAM_TARGET_TICKS = 8;

  /** One class's embeddings for the projection, as the report builder received them. */
  record ClassEmbeddings(String className, float[][] vectors, boolean[] flagged, String[] texts) {}

  /**
   * One row of the per-class table.
   *
   * @param auroc empty for the normal class, which is the negatives of every curve
   * @param flaggedShare the share of the class scoring above the threshold
   */
  record ClassRow(String name, int messages, OptionalDouble auroc, double flaggedShare) {}

  /**
   * Each class's scores binned on a shared axis, as shares of the class.
   *
   * @param axis the score axis; its domain is the bins' range
   * @param binWidth the axis domain over {@link #HISTOGRAM_BINS}
   * @param shares per class, in {@link #classNames()} order, each bin's share of the class's scores
   * @param highestShare the largest share of any bin of any class
   * @param scoresAboveAxis how many scores lie above the axis and were counted in the last bin
   */
  record ScoreHistogram(
      AxisTicks axis,
      double binWidth,
      List<double[]> shares,
      double highestShare,
      long scoresAboveAxis) {}

  private final List<String> classNames;
  private final Map<String, RocCurve> rocCurves;
  private final Map<String, RocCurve> drawnRocCurves;
  private final List<ClassRow> classRows;
  private final ConfusionCounts atThreshold;
  private final ScoreHistogram histogram;
  private final List<ProjectedPoint> projection;
  private final int embeddedCount;
  private final List<MinuteCount> anomalyRate;

  private ReportFigures(
      List<String> classNames,
      Map<String, RocCurve> rocCurves,
      Map<String, RocCurve> drawnRocCurves,
      List<ClassRow> classRows,
      ConfusionCounts atThreshold,
      ScoreHistogram histogram,
      List<ProjectedPoint> projection,
      int embeddedCount,
      List<MinuteCount> anomalyRate) {
    this.classNames = classNames;
    this.rocCurves = rocCurves;
    this.drawnRocCurves = drawnRocCurves;
    this.classRows = classRows;
    this.atThreshold = atThreshold;
    this.histogram = histogram;
    this.projection = projection;
    this.embeddedCount = embeddedCount;
    this.anomalyRate = anomalyRate;
  }

  /**
   * Computes the figures; the inputs are the report builder's, already checked.
   *
   * @param anomalousScores per anomalous set, in the order they were given
   * @param projectionCap at most this many points are projected, sampled with {@code
   *     projectionSeed}
   * @param detections detector output rows for the rate per minute; may be empty
   */
  static ReportFigures compute(
      double threshold,
      double[] normalScores,
      Map<String, double[]> anomalousScores,
      List<ClassEmbeddings> embeddings,
      int projectionCap,
      long projectionSeed,
      List<Map<String, Object>> detections) {
    Map<String, double[]> scoresByClass = new LinkedHashMap<>();
    scoresByClass.put(EvaluationReport.NORMAL, normalScores);
    scoresByClass.putAll(anomalousScores);
    double[] pooledAnomalous =
        anomalousScores.values().stream().flatMapToDouble(Arrays::stream).toArray();

    Map<String, RocCurve> rocCurves = new LinkedHashMap<>();
    anomalousScores.forEach(
        (name, scores) -> rocCurves.put(name, RocCurve.of(normalScores, scores)));
    rocCurves.put(EvaluationReport.ALL_ANOMALOUS, RocCurve.of(normalScores, pooledAnomalous));
    // with one anomalous set, the pooled curve and table row would only repeat it
    Map<String, RocCurve> drawnRocCurves = new LinkedHashMap<>(rocCurves);
    if (anomalousScores.size() == 1) {
      drawnRocCurves.remove(EvaluationReport.ALL_ANOMALOUS);
    }

    // the flagged shares come from the evaluation's own decision rule (score > threshold): of the
    // normal messages that is the false alarm rate, of anomalous ones the recall
    ConfusionCounts atThreshold = new ScoreEvaluation(normalScores, pooledAnomalous).at(threshold);
    List<ClassRow> classRows = new ArrayList<>();
    classRows.add(
        new ClassRow(
            EvaluationReport.NORMAL,
            normalScores.length,
            OptionalDouble.empty(),
            atThreshold.falseAlarmRate()));
    drawnRocCurves.forEach(
        (name, curve) -> {
          boolean pooled = name.equals(EvaluationReport.ALL_ANOMALOUS);
          double[] scores = pooled ? pooledAnomalous : anomalousScores.get(name);
          ConfusionCounts counts =
              pooled ? atThreshold : new ScoreEvaluation(normalScores, scores).at(threshold);
          classRows.add(
              new ClassRow(name, scores.length, OptionalDouble.of(curve.auroc()), counts.recall()));
        });

    return new ReportFigures(
        List.copyOf(scoresByClass.keySet()),
        Collections.unmodifiableMap(rocCurves),
        Collections.unmodifiableMap(drawnRocCurves),
        List.copyOf(classRows),
        atThreshold,
        histogram(scoresByClass.values(), threshold),
        embeddings.isEmpty() ? List.of() : project(embeddings, projectionCap, projectionSeed),
        embeddings.stream().mapToInt(e -> e.vectors().length).sum(),
        AnomalyRate.perMinute(detections));
  }

  /** {@link EvaluationReport#NORMAL} first, then the anomalous sets in the order given. */
  List<String> classNames() {
    return classNames;
  }

  /**
   * One ROC curve per anomalous set against the normal messages, then {@link
   * EvaluationReport#ALL_ANOMALOUS} pooling every anomalous set.
   */
  Map<String, RocCurve> rocCurves() {
    return rocCurves;
  }

  /** The curves worth drawing: {@link #rocCurves()} without the pooled one if it repeats a set. */
  Map<String, RocCurve> drawnRocCurves() {
    return drawnRocCurves;
  }

  /** The normal class, then one row per {@link #drawnRocCurves() drawn curve}. */
  List<ClassRow> classRows() {
    return classRows;
  }

  /** The decision at the threshold on the normal against all anomalous messages. */
  ConfusionCounts atThreshold() {
    return atThreshold;
  }

  ScoreHistogram histogram() {
    return histogram;
  }

  /** The sampled embeddings on their first two principal components; empty without embeddings. */
  List<ProjectedPoint> projection() {
    return projection;
  }

  /** How many embeddings were given, of which {@link #projection()} is a sample. */
  int embeddedCount() {
    return embeddedCount;
  }

  /** Messages and anomalies per minute of processing time; empty without detections. */
  List<MinuteCount> anomalyRate() {
    return anomalyRate;
  }

  /** Messages over every minute of {@link #anomalyRate()}. */
  long detectedMessages() {
    return anomalyRate.stream().mapToLong(MinuteCount::messages).sum();
  }

  /** Anomalies over every minute of {@link #anomalyRate()}. */
  long detectedAnomalies() {
    return anomalyRate.stream().mapToLong(MinuteCount::anomalies).sum();
  }

  /**
   * Bins every class on one axis from the lowest score (or the threshold, if lower) to the {@link
   * #HISTOGRAM_UPPER_QUANTILE} of all scores pooled (or the threshold, if higher), so the threshold
   * is always on the axis.
   */
  private static ScoreHistogram histogram(Collection<double[]> scoresByClass, double threshold) {
    double[] pooled = scoresByClass.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    double lower = Math.min(pooled[0], threshold);
    double quantile = pooled[(int) Math.floor(HISTOGRAM_UPPER_QUANTILE * (pooled.length - 1))];
    double upper = Math.max(quantile, threshold);
    AxisTicks axis = AxisTicks.nice(lower, upper, HISTOGRAM_TARGET_TICKS);
    double binWidth = (axis.max() - axis.min()) / HISTOGRAM_BINS;
    List<double[]> shares = new ArrayList<>();
    double highestShare = 0;
    for (double[] scores : scoresByClass) {
      double[] share = new double[HISTOGRAM_BINS];
      for (double score : scores) {
        int bin = (int) Math.floor((score - axis.min()) / binWidth);
        share[Math.max(0, Math.min(HISTOGRAM_BINS - 1, bin))] += 1.0 / scores.length;
      }
      shares.add(share);
      highestShare = Math.max(highestShare, Arrays.stream(share).max().orElse(0));
    }
    long above = Arrays.stream(pooled).filter(s -> s > axis.max()).count();
    return new ScoreHistogram(axis, binWidth, List.copyOf(shares), highestShare, above);
  }

  /**
   * Samples at most {@code cap} points, fits PCA on the sample and projects it. Each class gets an
   * equal share of the cap and a class smaller than its share leaves the rest to the others, so the
   * few anomalous messages are not lost among thousands of normal ones.
   */
  private static List<ProjectedPoint> project(List<ClassEmbeddings> classes, int cap, long seed) {
    Random random = new Random(seed);
    Map<ClassEmbeddings, int[]> chosen = new LinkedHashMap<>();
    List<ClassEmbeddings> smallestFirst = new ArrayList<>(classes);
    smallestFirst.sort(Comparator.comparingInt(c -> c.vectors().length));
    int remaining = cap;
    for (int i = 0; i < smallestFirst.size(); i++) {
      ClassEmbeddings embeddings = smallestFirst.get(i);
      int share = remaining / (smallestFirst.size() - i);
      int[] indices = sample(embeddings.vectors().length, share, random);
      chosen.put(embeddings, indices);
      remaining -= indices.length;
    }
    List<float[]> vectors = new ArrayList<>();
    List<ProjectedPoint> unplaced = new ArrayList<>();
    for (ClassEmbeddings embeddings : classes) {
      for (int index : chosen.get(embeddings)) {
        vectors.add(embeddings.vectors()[index]);
        String text = embeddings.texts() == null ? null : embeddings.texts()[index];
        unplaced.add(
            new ProjectedPoint(embeddings.className(), 0, 0, embeddings.flagged()[index], text));
      }
    }
    float[][] sample = vectors.toArray(new float[0][]);
    double[][] coordinates = Pca.fit(sample, seed).project(sample);
    List<ProjectedPoint> points = new ArrayList<>(sample.length);
    for (int i = 0; i < sample.length; i++) {
      ProjectedPoint p = unplaced.get(i);
      points.add(
          new ProjectedPoint(
              p.className(), coordinates[i][0], coordinates[i][1], p.flagged(), p.text()));
    }
    return List.copyOf(points);
  }

  /** {@code count} distinct indices below {@code size} (all of them when fewer), ascending. */
  private static int[] sample(int size, int count, Random random) {
    int[] indices = new int[size];
    for (int i = 0; i < size; i++) {
      indices[i] = i;
    }
    int taken = Math.min(size, count);
    // partial Fisher–Yates: the first `taken` slots end up a uniform sample
    for (int i = 0; i < taken; i++) {
      int j = i + random.nextInt(size - i);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    int[] sample = Arrays.copyOf(indices, taken);
    Arrays.sort(sample);
    return sample;
  }
}
