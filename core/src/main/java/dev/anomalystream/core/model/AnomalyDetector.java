package dev.anomalystream.core.model;

import dev.anomalystream.core.cluster.HdbscanModel;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime model: HDBSCAN's approximate prediction and the kNN scorer over the same training
 * vectors, the version's {@link Autoencoder} when it has one, and the decision the metadata (or the
 * caller) chose. Immutable and thread-safe; build one per JVM and share it.
 *
 * <p>The decision, in order of precedence: {@link DecisionRule#CLUSTER} flags messages outside
 * every cluster; otherwise the score in use (the caller's choice, else the one the model was
 * calibrated on, else GLOSH) is compared with a threshold (the caller's, else the model's
 * calibration for that score). A model with no threshold for the score falls back to the cluster
 * rule, and says so once in the log.
 */
public final class AnomalyDetector {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);

  /** The file in a model version that holds the HDBSCAN model and the training vectors. */
  public static final String HDBSCAN_FILE = "hdbscan.bin";

  /**
   * The file with the 2-D map basis ({@link Pca} of the training vectors); versions trained before
   * it existed have none, and their messages get no map coordinates.
   */
  public static final String MAP_FILE = "map.bin";

  private final ModelMetadata metadata;
  private final HdbscanModel hdbscan;
  private final Pca map;
  private final float[][] knnReference;
  private final KnnScorer knn;
  private final Autoencoder autoencoder;
  private final ScoreKind scoreKind;
  private final DecisionRule rule;
  private final double threshold;

  /**
   * What the caller overrides; null fields take the model's own choice.
   *
   * @param score the score to threshold
   * @param rule the decision rule
   * @param threshold the threshold for the score, instead of the calibrated one
   */
  public record Overrides(ScoreKind score, DecisionRule rule, Double threshold)
      implements java.io.Serializable {
    public static Overrides none() {
      return new Overrides(null, null, null);
    }
  }

  public AnomalyDetector(ModelMetadata metadata, HdbscanModel hdbscan, Overrides overrides) {
    this(metadata, hdbscan, null, overrides);
  }

  /**
   * @param map the version's map basis, or null for none
   */
  public AnomalyDetector(
      ModelMetadata metadata, HdbscanModel hdbscan, Pca map, Overrides overrides) {
    this(metadata, hdbscan, map, null, null, null, overrides);
  }

  /**
   * @param map the version's map basis, or null for none
   * @param knnReference the kNN score's reference vectors, or null for the HDBSCAN model's training
   *     points
   * @param knnIndex the version's kNN index over that reference, or null to score the kNN distance
   *     exactly
   * @param autoencoder the version's autoencoder, or null when it has none (then the autoencoder
   *     score is NaN and cannot be the one decided on)
   * @throws IncompatibleModelException when the decision is on the autoencoder score and the
   *     version has no autoencoder, or one of another dimension
   */
  public AnomalyDetector(
      ModelMetadata metadata,
      HdbscanModel hdbscan,
      Pca map,
      float[][] knnReference,
      KnnIndex knnIndex,
      Autoencoder autoencoder,
      Overrides overrides) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.hdbscan = Objects.requireNonNull(hdbscan, "hdbscan");
    if (map != null && map.dimension() != hdbscan.dimension()) {
      throw new IncompatibleModelException(
          "model "
              + metadata.version()
              + " holds a "
              + map.dimension()
              + "-dimensional map basis for "
              + hdbscan.dimension()
              + "-dimensional vectors");
    }
    this.map = map;
    if (hdbscan.dimension() != metadata.embedding().dimension()) {
      throw new IncompatibleModelException(
          "model "
              + metadata.version()
              + " holds "
              + hdbscan.dimension()
              + "-dimensional training vectors but its metadata says "
              + metadata.embedding().dimension());
    }
    Integer storedK = metadata.hyperparameters() == null ? null : metadata.hyperparameters().knnK();
    int k = storedK == null ? ModelTrainer.DEFAULT_KNN_K : storedK;
    this.knnReference = knnReference == null ? hdbscan.trainingPoints() : knnReference;
    this.knn =
        knnIndex == null
            ? new KnnScorer(this.knnReference, k)
            : KnnScorer.withIndex(this.knnReference, k, knnIndex);
    if (knnIndex != null) {
      LOG.info(
          "model {} version {} finds the kNN score's {} neighbours among {} reference vectors"
              + " through its HNSW index (search beam {})",
          metadata.modelName(),
          metadata.version(),
          k,
          knnIndex.size(),
          knnIndex.searchBeam());
    }
    if (autoencoder != null && autoencoder.dimension() != hdbscan.dimension()) {
      throw new IncompatibleModelException(
          "model "
              + metadata.version()
              + " holds an autoencoder of "
              + autoencoder.dimension()
              + "-dimensional vectors for "
              + hdbscan.dimension()
              + "-dimensional ones");
    }
    this.autoencoder = autoencoder;
    this.scoreKind =
        overrides.score() != null
            ? overrides.score()
            : metadata.calibration() != null && metadata.calibration().score() != null
                ? metadata.calibration().score()
                : ScoreKind.GLOSH;
    Double chosenThreshold =
        overrides.threshold() != null
            ? overrides.threshold()
            : metadata.calibrationFor(scoreKind).map(c -> c.threshold()).orElse(null);
    DecisionRule requested = overrides.rule() != null ? overrides.rule() : DecisionRule.SCORE;
    if (scoreKind == ScoreKind.AUTOENCODER
        && autoencoder == null
        && requested == DecisionRule.SCORE) {
      // unlike a missing threshold there is nothing to fall back on that means the same thing
      throw new IncompatibleModelException(
          "model "
              + metadata.modelName()
              + " version "
              + metadata.version()
              + " has no autoencoder ("
              + Autoencoder.FILE
              + "), so it cannot decide on the autoencoder score: train it with"
              + " --score=autoencoder or choose another score");
    }
    if (requested == DecisionRule.SCORE && chosenThreshold == null) {
      LOG.warn(
          "model {} version {} has no threshold for the {} score: flagging messages outside"
              + " every cluster instead (give a threshold or recalibrate the model)",
          metadata.modelName(),
          metadata.version(),
          scoreKind.id());
      this.rule = DecisionRule.CLUSTER;
    } else {
      this.rule = requested;
    }
    this.threshold =
        rule == DecisionRule.SCORE ? Objects.requireNonNull(chosenThreshold) : Double.NaN;
  }

  /**
   * Loads a stored model for a detector whose embedder produces {@code embeddingModelId} vectors of
   * {@code dimension}.
   *
   * @throws IncompatibleModelException when the model was trained on another embedding
   * @throws IOException when the HDBSCAN file cannot be read, or the kNN index is not one for its
   *     training vectors
   */
  public static AnomalyDetector load(
      StoredModel stored, String embeddingModelId, int dimension, Overrides overrides)
      throws IOException {
    stored.metadata().requireEmbedding(embeddingModelId, dimension);
    HdbscanModel hdbscan;
    try (DataInputStream in = stored.open(HDBSCAN_FILE)) {
      hdbscan = HdbscanModel.readFrom(in);
    }
    Pca map = null;
    if (stored.fileNames().contains(MAP_FILE)) {
      try (DataInputStream in = stored.open(MAP_FILE)) {
        map = Pca.readFrom(in);
      }
    }
    String location = stored.location() + (stored.location().endsWith("/") ? "" : "/");
    float[][] knnReference = null;
    if (stored.fileNames().contains(KnnReference.FILE)) {
      try (DataInputStream in = stored.open(KnnReference.FILE)) {
        knnReference = KnnReference.readFrom(in, hdbscan.dimension(), location + KnnReference.FILE);
      }
    }
    KnnIndex knnIndex = null;
    if (stored.fileNames().contains(KnnIndex.FILE)) {
      try (DataInputStream in = stored.open(KnnIndex.FILE)) {
        knnIndex =
            KnnIndex.readFrom(
                in,
                knnReference == null ? hdbscan.trainingPoints() : knnReference,
                location + KnnIndex.FILE);
      }
    }
    Autoencoder autoencoder = null;
    if (stored.fileNames().contains(Autoencoder.FILE)) {
      try (DataInputStream in = stored.open(Autoencoder.FILE)) {
        autoencoder = Autoencoder.fromOnnx(in.readAllBytes(), location + Autoencoder.FILE);
      }
    }
    return new AnomalyDetector(
        stored.metadata(), hdbscan, map, knnReference, knnIndex, autoencoder, overrides);
  }

  /**
   * Scores a batch of L2-normalised embeddings.
   *
   * @return one detection per row, in order
   */
  public Verdict[] score(float[][] embeddings) {
    HdbscanModel.Prediction[] predictions = hdbscan.approximatePredict(embeddings);
    float[][] knnSimilarities = knn.nearestSimilarities(embeddings);
    double[] autoencoderScores = autoencoder == null ? null : autoencoder.score(embeddings);
    double[][] coordinates = map == null ? null : map.project(embeddings);
    Verdict[] verdicts = new Verdict[embeddings.length];
    for (int i = 0; i < embeddings.length; i++) {
      HdbscanModel.Prediction prediction = predictions[i];
      double knnScore = KnnScorer.meanDistance(knnSimilarities[i]);
      double autoencoderScore = autoencoderScores == null ? Double.NaN : autoencoderScores[i];
      double decisive =
          switch (scoreKind) {
            case GLOSH -> prediction.outlierScore();
            case KNN -> knnScore;
            case AUTOENCODER -> autoencoderScore;
            // decided online (LearnOnline); the detector's own verdict keeps the kNN score
            case HST -> knnScore;
          };
      boolean anomalous =
          rule == DecisionRule.CLUSTER ? prediction.label() < 0 : decisive > threshold;
      verdicts[i] =
          new Verdict(
              prediction.label(),
              prediction.probability(),
              prediction.outlierScore(),
              knnScore,
              autoencoderScore,
              anomalous,
              metadata.version(),
              coordinates == null ? Double.NaN : coordinates[i][0],
              coordinates == null ? Double.NaN : coordinates[i][1],
              knnSimilarities[i]);
    }
    return verdicts;
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  public String modelVersion() {
    return metadata.version();
  }

  /** The score the decision thresholds (reported even under the cluster rule). */
  public ScoreKind scoreKind() {
    return scoreKind;
  }

  public DecisionRule rule() {
    return rule;
  }

  /** The threshold in use; NaN under the cluster rule. */
  public double threshold() {
    return threshold;
  }

  public int dimension() {
    return hdbscan.dimension();
  }

  /** How many nearest training vectors the kNN score averages over. */
  public int knnK() {
    return knn.k();
  }

  /** The vectors the kNN score searches (not copied: do not change them). */
  public float[][] referenceVectors() {
    return knnReference;
  }

  /** Whether the version has an autoencoder (else its verdicts' autoencoder scores are NaN). */
  public boolean hasAutoencoder() {
    return autoencoder != null;
  }

  /** Whether the kNN score's neighbours come from the version's index (else exact search). */
  public boolean knnIndexed() {
    return knn.approximate();
  }

  /** The decision as detection rows record it: "knn>0.4210", "glosh>0.8300" or "cluster". */
  public String describeDecision() {
    return rule == DecisionRule.CLUSTER
        ? "cluster"
        : String.format(Locale.ROOT, "%s>%.4f", scoreKind.id(), threshold);
  }
}
