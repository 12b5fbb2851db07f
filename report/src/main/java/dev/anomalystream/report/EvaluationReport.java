package dev.anomalystream.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluation HTML report: score histograms per class, ROC curves, a PCA scatter of the
 * embeddings, the anomaly rate over time and a summary table. Build it from plain data with {@link
 * #builder(String, double)}, which computes the {@link ReportFigures figures}; then {@link
 * #writeHtml(Path)} draws them as one self-contained file (inline CSS, SVG and script; no network
 * access needed to open it).
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
  private final Map<String, Object> summary;
  private final ReportFigures figures;

  private EvaluationReport(Builder builder) {
    this.title = builder.title;
    this.modelVersion = builder.modelVersion;
    this.embeddingModel = builder.embeddingModel;
    this.generatedAt = builder.generatedAt;
    this.scoreName = builder.scoreName;
    this.threshold = builder.threshold;
    this.summary = Collections.unmodifiableMap(new LinkedHashMap<>(builder.summary));
    this.figures =
        ReportFigures.compute(
            builder.threshold,
            builder.normalScores,
            builder.anomalousScores,
            builder.embeddings,
            builder.projectionCap,
            builder.projectionSeed,
            builder.detections);
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

  public Map<String, Object> summary() {
    return summary;
  }

  /** What the page draws, computed when the report was built. */
  ReportFigures figures() {
    return figures;
  }

  /** The report as one HTML document. */
  public String toHtml() {
    return HtmlReport.render(this);
  }

  /** Writes {@link #toHtml()} to {@code file} as UTF-8, creating its parent directories. */
  public void writeHtml(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toHtml(), StandardCharsets.UTF_8);
  }

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
    private final List<ReportFigures.ClassEmbeddings> embeddings = new ArrayList<>();
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
          new ReportFigures.ClassEmbeddings(
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
      for (ReportFigures.ClassEmbeddings e : embeddings) {
        if (!e.className().equals(NORMAL) && !anomalousScores.containsKey(e.className())) {
          throw new IllegalArgumentException(
              "embeddings of '"
                  + e.className()
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
