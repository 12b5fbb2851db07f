package dev.anomalystream.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * What the evaluation HTML report shows, computed from plain data: score histograms per class, ROC
 * curves, a PCA scatter of the embeddings, the anomaly rate over time and a summary table. Build it
 * with {@link #builder(String, double)}, then {@link #writeHtml(Path)} writes one self-contained
 * file (inline CSS, SVG and script; no network access needed to open it).
 */
public final class EvaluationReport {
  /** The class of the normal messages, the negatives of the ROC curves. */
  public static final String NORMAL = "normal";

  /** The ROC curve of all anomalous files pooled. */
  public static final String ALL_ANOMALOUS = "all anomalous";

  private final String title;
  private final String modelVersion;
  private final String embeddingModel;
  private final Instant generatedAt;
  private final String scoreName;
  private final double threshold;
  private final Map<String, double[]> scoresByClass;
  private final Map<String, RocCurve> rocCurves;
  private final List<ProjectedPoint> projection;
  private final int embeddedCount;
  private final List<MinuteCount> anomalyRate;
  private final Map<String, Object> summary;

  private EvaluationReport(Builder builder) {
    this.title = builder.title;
    this.modelVersion = builder.modelVersion;
    this.embeddingModel = builder.embeddingModel;
    this.generatedAt = builder.generatedAt;
    this.scoreName = builder.scoreName;
    this.threshold = builder.threshold;
    this.scoresByClass = new LinkedHashMap<>();
    scoresByClass.put(NORMAL, builder.normalScores.clone());
    builder.anomalousScores.forEach((name, scores) -> scoresByClass.put(name, scores.clone()));
    this.rocCurves = rocCurves(builder.normalScores, builder.anomalousScores);
    this.embeddedCount = builder.embeddings.stream().mapToInt(e -> e.vectors.length).sum();
    this.projection =
        builder.embeddings.isEmpty()
            ? List.of()
            : project(builder.embeddings, builder.projectionCap, builder.projectionSeed);
    this.anomalyRate = AnomalyRate.perMinute(builder.detections);
    this.summary = Collections.unmodifiableMap(new LinkedHashMap<>(builder.summary));
  }

  /**
   * Starts a report on the score in use.
   *
   * @param scoreName the outlier score drawn, e.g. "knn"
   * @param threshold the detector flags a message when its score is above this
   */
  public static Builder builder(String scoreName, double threshold) {
    return new Builder(scoreName, threshold);
  }

  public String title() {
    return title;
  }

  public String modelVersion() {
    return modelVersion;
  }

  public String embeddingModel() {
    return embeddingModel;
  }

  public Instant generatedAt() {
    return generatedAt;
  }

  public String scoreName() {
    return scoreName;
  }

  public double threshold() {
    return threshold;
  }

  /** Scores per class, {@link #NORMAL} first, then the anomalous files in the order given. */
  public Map<String, double[]> scoresByClass() {
    Map<String, double[]> copy = new LinkedHashMap<>();
    scoresByClass.forEach((name, scores) -> copy.put(name, scores.clone()));
    return copy;
  }

  /**
   * One ROC curve per anomalous file against the normal messages, then {@link #ALL_ANOMALOUS}
   * pooling every anomalous file.
   */
  public Map<String, RocCurve> rocCurves() {
    return rocCurves;
  }

  /** The sampled embeddings on their first two principal components; empty without embeddings. */
  public List<ProjectedPoint> projection() {
    return projection;
  }

  /** How many embeddings were given, of which {@link #projection()} is a sample. */
  public int embeddedCount() {
    return embeddedCount;
  }

  /** Messages and anomalies per minute of processing time; empty without detections. */
  public List<MinuteCount> anomalyRate() {
    return anomalyRate;
  }

  public Map<String, Object> summary() {
    return summary;
  }

  /** The report as one HTML document. */
  public String toHtml() {
    return new HtmlReport(this).render();
  }

  /** Writes {@link #toHtml()} to {@code file} as UTF-8, creating its parent directories. */
  public void writeHtml(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toHtml(), StandardCharsets.UTF_8);
  }

  private static Map<String, RocCurve> rocCurves(
      double[] normalScores, Map<String, double[]> anomalousScores) {
    Map<String, RocCurve> curves = new LinkedHashMap<>();
    anomalousScores.forEach((name, scores) -> curves.put(name, RocCurve.of(normalScores, scores)));
    double[] pooled = anomalousScores.values().stream().flatMapToDouble(Arrays::stream).toArray();
    curves.put(ALL_ANOMALOUS, RocCurve.of(normalScores, pooled));
    return Collections.unmodifiableMap(curves);
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
    smallestFirst.sort(Comparator.comparingInt(c -> c.vectors.length));
    int remaining = cap;
    for (int i = 0; i < smallestFirst.size(); i++) {
      ClassEmbeddings embeddings = smallestFirst.get(i);
      int share = remaining / (smallestFirst.size() - i);
      int[] indices = sample(embeddings.vectors.length, share, random);
      chosen.put(embeddings, indices);
      remaining -= indices.length;
    }
    List<float[]> vectors = new ArrayList<>();
    List<ProjectedPoint> unplaced = new ArrayList<>();
    for (ClassEmbeddings embeddings : classes) {
      for (int index : chosen.get(embeddings)) {
        vectors.add(embeddings.vectors[index]);
        String text = embeddings.texts == null ? null : embeddings.texts[index];
        unplaced.add(
            new ProjectedPoint(embeddings.className, 0, 0, embeddings.flagged[index], text));
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

  private record ClassEmbeddings(
      String className, float[][] vectors, boolean[] flagged, String[] texts) {}

  /**
   * Collects the report's data; only the normal and at least one anomalous score set are required.
   */
  public static final class Builder {
    private final String scoreName;
    private final double threshold;
    private String title = "Anomaly detection evaluation";
    private String modelVersion = "unknown";
    private String embeddingModel = "unknown";
    private Instant generatedAt = Instant.now();
    private double[] normalScores;
    private final Map<String, double[]> anomalousScores = new LinkedHashMap<>();
    private final List<ClassEmbeddings> embeddings = new ArrayList<>();
    private int projectionCap = 3000;
    private long projectionSeed = 42;
    private List<Map<String, Object>> detections = List.of();
    private Map<String, Object> summary = Map.of();

    private Builder(String scoreName, double threshold) {
      this.scoreName = Objects.requireNonNull(scoreName, "scoreName");
      if (!Double.isFinite(threshold)) {
        throw new IllegalArgumentException("threshold " + threshold + " is not a finite number");
      }
      this.threshold = threshold;
    }

    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    public Builder modelVersion(String modelVersion) {
      this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
      return this;
    }

    public Builder embeddingModel(String embeddingModel) {
      this.embeddingModel = Objects.requireNonNull(embeddingModel, "embeddingModel");
      return this;
    }

    /** When the evaluation ran; defaults to when the builder was made. */
    public Builder generatedAt(Instant generatedAt) {
      this.generatedAt = Objects.requireNonNull(generatedAt, "generatedAt");
      return this;
    }

    /** The normal messages' scores, the negatives. */
    public Builder normalScores(double[] scores) {
      this.normalScores = requireScores(NORMAL, scores).clone();
      return this;
    }

    /** One anomalous file's scores, the positives; {@code name} labels it, e.g. the file name. */
    public Builder anomalousScores(String name, double[] scores) {
      requireAnomalousName(name);
      if (anomalousScores.containsKey(name)) {
        throw new IllegalArgumentException("anomalous scores for '" + name + "' given twice");
      }
      anomalousScores.put(name, requireScores(name, scores).clone());
      return this;
    }

    /**
     * One class's embeddings for the scatter plot.
     *
     * @param className {@link #NORMAL} or the name of an anomalous score set
     * @param vectors the embeddings, all of one dimension
     * @param flagged per vector, whether the detector flagged it
     * @param texts per vector, the message shown on hover; null for none
     */
    public Builder embeddings(
        String className, float[][] vectors, boolean[] flagged, String[] texts) {
      Objects.requireNonNull(className, "className");
      if (vectors.length != flagged.length || (texts != null && texts.length != vectors.length)) {
        throw new IllegalArgumentException(
            "embeddings of '"
                + className
                + "': "
                + vectors.length
                + " vectors but "
                + flagged.length
                + " flags"
                + (texts == null ? "" : " and " + texts.length + " texts"));
      }
      embeddings.add(
          new ClassEmbeddings(
              className, vectors.clone(), flagged.clone(), texts == null ? null : texts.clone()));
      return this;
    }

    /**
     * At most {@code cap} points in the scatter plot (default 3,000), sampled with {@code seed}.
     */
    public Builder projectionSample(int cap, long seed) {
      if (cap < 2) {
        throw new IllegalArgumentException("projection sample cap " + cap + " is below 2");
      }
      this.projectionCap = cap;
      this.projectionSeed = seed;
      return this;
    }

    /** Detector output rows ({@code processed_time}, {@code is_anomaly}) for the rate over time. */
    public Builder detections(List<Map<String, Object>> rows) {
      this.detections = List.copyOf(rows);
      return this;
    }

    /**
     * The summary table, in the order given, e.g. n_normal, n_anomalous, auroc, precision, recall,
     * f1, false_alarm_rate, threshold, messages_per_second.
     */
    public Builder summary(Map<String, Object> summary) {
      this.summary = new LinkedHashMap<>(summary);
      return this;
    }

    /**
     * @throws IllegalStateException when normal or anomalous scores are missing
     * @throws IllegalArgumentException when an embeddings class has no score set, the embeddings
     *     are fewer than two or of different dimensions, or a detection row is malformed
     */
    public EvaluationReport build() {
      if (normalScores == null) {
        throw new IllegalStateException("no normal scores given");
      }
      if (anomalousScores.isEmpty()) {
        throw new IllegalStateException("no anomalous scores given");
      }
      for (ClassEmbeddings e : embeddings) {
        if (!e.className.equals(NORMAL) && !anomalousScores.containsKey(e.className)) {
          throw new IllegalArgumentException(
              "embeddings of '"
                  + e.className
                  + "' match no score set: expected '"
                  + NORMAL
                  + "' or one of "
                  + anomalousScores.keySet());
        }
      }
      return new EvaluationReport(this);
    }

    private static void requireAnomalousName(String name) {
      if (name == null || name.isBlank() || name.equals(NORMAL) || name.equals(ALL_ANOMALOUS)) {
        throw new IllegalArgumentException(
            "anomalous set name '"
                + name
                + "' is blank or reserved ('"
                + NORMAL
                + "', '"
                + ALL_ANOMALOUS
                + "')");
      }
    }

    private static double[] requireScores(String name, double[] scores) {
      if (scores.length == 0) {
        throw new IllegalArgumentException("no scores for '" + name + "'");
      }
      for (int i = 0; i < scores.length; i++) {
        if (!Double.isFinite(scores[i])) {
          throw new IllegalArgumentException(
              "score " + i + " of '" + name + "' is " + scores[i] + ", not a finite number");
        }
      }
      return scores;
    }
  }
}
