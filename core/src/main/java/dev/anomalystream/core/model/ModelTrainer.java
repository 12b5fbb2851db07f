package dev.anomalystream.core.model;

import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanModel;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.cluster.HdbscanResult;
import dev.anomalystream.core.text.TermStatistics;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * Fits, calibrates and gates a model from embeddings, with no IO of its own, so the command-line
 * trainer and the Beam training pipeline share it.
 *
 * <p>Every score the version has is calibrated on the held-out normal rows (the autoencoder score
 * only when the caller trained an {@link Autoencoder}); the chosen one becomes the decision and the
 * others are stored as alternatives. The gate refuses a model that would misbehave in production:
 * GLOSH as the score with no cluster found (GLOSH then carries no signal), a threshold that cannot
 * be set, or a cross-checked false-alarm rate above twice the target. A high noise fraction alone
 * only warns: the kNN score does not depend on the clusters.
 *
 * <p>A version also carries what the stream view compares windows with: the {@link DriftReference}
 * of the fitted vectors, calibrated on the held-out rows as the chosen decision flags them, and,
 * when the trainer is given the fitted texts, their {@link TermStatistics}.
 */
public final class ModelTrainer {
  /** Defaults chosen by measured AUROC over a grid; docs/QUALITY.md has the figures. */
  public static final int DEFAULT_MIN_CLUSTER_SIZE = 10;

  public static final int DEFAULT_MIN_SAMPLES = 10;
  public static final int DEFAULT_KNN_K = 100;
  public static final double DEFAULT_CALIBRATION_FRACTION = 0.1;
  public static final long DEFAULT_SEED = 42;

  /**
   * From this many reference vectors on, a version carries a {@link KnnIndex} and is scored through
   * it; below, exact search stays. 50,000: the index is faster than exact search from about 16,000
   * vectors, found 98.6 % of the exact 100 nearest at 100,000 synthetic vectors (3 times exact's
   * speed), and left the development sets' AUROC unchanged on the 14,400-vector production model;
   * the crossover keeps that model, and anything of its size, exact. docs/BENCHMARKS.md, "kNN
   * index", has the figures and what is not measured (a million vectors).
   */
  public static final int DEFAULT_ANN_MIN_REFERENCE = 50_000;

  /**
   * The index's search beam for the kNN score's k: twice k, and at least 100 (at k = 10 a beam of
   * 20 found 97 % of the neighbours, a beam of 100 over 99 %). docs/BENCHMARKS.md has the recall.
   */
  static int searchBeam(int k) {
    return Math.max(100, 2 * k);
  }

  /** A noise fraction above this draws a warning with parameter suggestions. */
  static final double HIGH_NOISE_FRACTION = 0.9;

  /** The cross-checked false-alarm rate may exceed the target by at most this factor. */
  static final double FALSE_ALARM_TOLERANCE = 2.0;

  /**
   * How to train.
   *
   * @param modelName the model's name in the store
   * @param hdbscan HDBSCAN's parameters
   * @param knnK neighbours averaged by the kNN score
   * @param score the score the decision thresholds
   * @param targetFalseAlarmRate the share of normal messages the threshold may flag
   * @param targetFalseDriftRate the false drift windows per day the drift threshold allows
   * @param annMinReference training vectors from which the kNN score uses an HNSW index
   * @param threshold how the chosen score's threshold is set
   * @param clusterSampleSize fit rows HDBSCAN is fitted on, a seeded sample; 0 for all of them
   * @param knnReferenceSize fit rows the kNN score's reference keeps, a seeded sample that holds
   *     the cluster sample; 0 for all of them
   */
  public record Settings(
      String modelName,
      HdbscanParams hdbscan,
      int knnK,
      ScoreKind score,
      double targetFalseAlarmRate,
      double targetFalseDriftRate,
      int annMinReference,
      ThresholdChoice threshold,
      int clusterSampleSize,
      int knnReferenceSize)
      implements java.io.Serializable {
    /**
     * Settings with the default threshold method, HDBSCAN fitted on every fit row, which are also
     * the kNN reference.
     */
    public Settings(
        String modelName,
        HdbscanParams hdbscan,
        int knnK,
        ScoreKind score,
        double targetFalseAlarmRate,
        double targetFalseDriftRate,
        int annMinReference) {
      this(
          modelName,
          hdbscan,
          knnK,
          score,
          targetFalseAlarmRate,
          targetFalseDriftRate,
          annMinReference,
          ThresholdChoice.FALSE_ALARM,
          0,
          0);
    }

    /** Settings with the default index crossover. */
    public Settings(
        String modelName,
        HdbscanParams hdbscan,
        int knnK,
        ScoreKind score,
        double targetFalseAlarmRate,
        double targetFalseDriftRate) {
      this(
          modelName,
          hdbscan,
          knnK,
          score,
          targetFalseAlarmRate,
          targetFalseDriftRate,
          DEFAULT_ANN_MIN_REFERENCE);
    }

    public Settings {
      Objects.requireNonNull(modelName, "modelName");
      Objects.requireNonNull(hdbscan, "hdbscan");
      Objects.requireNonNull(score, "score");
      Objects.requireNonNull(threshold, "threshold");
      if (knnK < 1) {
        throw new IllegalArgumentException("k must be at least 1, was " + knnK);
      }
      if (annMinReference < 1) {
        throw new IllegalArgumentException(
            "the index crossover must be at least 1 training vector, was " + annMinReference);
      }
      if (clusterSampleSize < 0 || clusterSampleSize == 1 || knnReferenceSize < 0) {
        throw new IllegalArgumentException(
            "the cluster sample (0 = all, else at least 2) and the kNN reference (0 = all) were "
                + clusterSampleSize
                + " and "
                + knnReferenceSize);
      }
      if (!(targetFalseAlarmRate > 0 && targetFalseAlarmRate < 1)) {
        throw new IllegalArgumentException(
            "the target false-alarm rate must be in (0, 1), was " + targetFalseAlarmRate);
      }
      if (!(targetFalseDriftRate > 0 && Double.isFinite(targetFalseDriftRate))) {
        throw new IllegalArgumentException(
            "the target false drift rate must be a positive number of windows per day, was "
                + targetFalseDriftRate);
      }
    }
  }

  /**
   * A trained model and the verdict of the gate.
   *
   * @param metadata the metadata to store (without file checksums yet)
   * @param fit what HDBSCAN found on the fitted rows
   * @param calibration the calibration of the chosen score; null when it could not be set
   * @param drift the window drift reference; null when the calibration could not be set
   * @param terms the fit texts' term statistics; null when the trainer was given no texts
   * @param knnReference the kNN score's reference when it is not the HDBSCAN model's training
   *     points (the fit was sampled); null when it is
   * @param knnIndex the kNN score's index; null when the reference is scored exactly
   * @param autoencoder the version's autoencoder; null when it has none
   * @param refusals why the model must not be published; empty when it may be
   * @param warnings what a person should know even so
   */
  public record TrainedModel(
      ModelMetadata metadata,
      HdbscanResult fit,
      Calibration calibration,
      DriftReference drift,
      TermStatistics terms,
      float[][] knnReference,
      KnnIndex knnIndex,
      Autoencoder autoencoder,
      List<String> refusals,
      List<String> warnings) {
    public boolean publishable() {
      return refusals.isEmpty();
    }

    public HdbscanModel model() {
      return fit.model();
    }
  }

  private ModelTrainer() {}

  /**
   * As {@link #train(float[][], List, float[][], Settings, ModelMetadata.Embedding,
   * ModelMetadata.TrainingSource, Instant)} without texts: the version gets no term statistics.
   */
  public static TrainedModel train(
      float[][] fitVectors,
      float[][] calibrationVectors,
      Settings settings,
      ModelMetadata.Embedding embedding,
      ModelMetadata.TrainingSource source,
      Instant now) {
    return train(fitVectors, List.of(), calibrationVectors, settings, embedding, source, now);
  }

  /**
   * As {@link #train(float[][], List, float[][], Settings, Autoencoder.Trained,
   * ModelMetadata.Embedding, ModelMetadata.TrainingSource, Instant)} without an autoencoder.
   */
  public static TrainedModel train(
      float[][] fitVectors,
      List<String> fitTexts,
      float[][] calibrationVectors,
      Settings settings,
      ModelMetadata.Embedding embedding,
      ModelMetadata.TrainingSource source,
      Instant now) {
    return train(fitVectors, fitTexts, calibrationVectors, settings, null, embedding, source, now);
  }

  /**
   * Fits HDBSCAN on {@code fitVectors}, scores the held-out {@code calibrationVectors} (normal
   * messages never fitted) with every score the version has, calibrates and gates; fits the drift
   * reference on the same vectors and the chosen decision's flags, and the term statistics on
   * {@code fitTexts}.
   *
   * @param fitVectors L2-normalised embeddings to fit
   * @param fitTexts the texts of the fitted rows; empty when they are not at hand (the version then
   *     has no term statistics)
   * @param calibrationVectors L2-normalised embeddings of held-out normal messages
   * @param autoencoder an autoencoder trained on {@code fitVectors}, stored with the version; null
   *     for none (then the autoencoder score cannot be the chosen one)
   * @param embedding the embedding both were made with
   * @param source where the rows came from
   * @param now the training time, which also names the version
   */
  public static TrainedModel train(
      float[][] fitVectors,
      List<String> fitTexts,
      float[][] calibrationVectors,
      Settings settings,
      Autoencoder.Trained autoencoder,
      ModelMetadata.Embedding embedding,
      ModelMetadata.TrainingSource source,
      Instant now) {
    if (calibrationVectors.length == 0) {
      throw new IllegalArgumentException("calibration needs at least one held-out normal row");
    }
    if (!fitTexts.isEmpty() && fitTexts.size() != fitVectors.length) {
      throw new IllegalArgumentException(
          fitTexts.size() + " fit texts for " + fitVectors.length + " fit vectors");
    }
    Sample sample = sample(fitVectors, settings);
    HdbscanResult fit = Hdbscan.fit(sample.cluster(), settings.hdbscan());
    float[][] reference =
        sample.reference() == sample.cluster() ? fit.model().trainingPoints() : sample.reference();
    // the threshold is calibrated on the scorers the version will be served with
    KnnIndex knnIndex = knnIndex(reference, settings);
    KnnScorer knn =
        knnIndex == null
            ? new KnnScorer(reference, settings.knnK())
            : KnnScorer.withIndex(reference, settings.knnK(), knnIndex);
    Map<ScoreKind, Function<float[][], double[]>> scorers = new EnumMap<>(ScoreKind.class);
    scorers.put(
        ScoreKind.GLOSH,
        vectors ->
            Arrays.stream(fit.model().approximatePredict(vectors))
                .mapToDouble(HdbscanModel.Prediction::outlierScore)
                .toArray());
    scorers.put(ScoreKind.KNN, knn::score);
    if (autoencoder != null) {
      // the served ONNX graph, not the training engine, so the threshold fits what will run
      scorers.put(ScoreKind.AUTOENCODER, autoencoder.network()::score);
    }
    Map<ScoreKind, double[]> calibrationScores = new EnumMap<>(ScoreKind.class);
    scorers.forEach(
        (kind, scorer) -> calibrationScores.put(kind, scorer.apply(calibrationVectors)));

    List<String> refusals = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Calibration chosen = null;
    Double labelledRecall = null;
    List<ModelMetadata.CalibrationRecord> alternatives = new ArrayList<>();
    if (!settings.score().calibratedAtTraining()) {
      refusals.add(
          "the "
              + settings.score().id()
              + " score is learned online by the detector (--score="
              + settings.score().id()
              + " there): train with knn or glosh");
    } else if (!calibrationScores.containsKey(settings.score())) {
      refusals.add(
          "the decision is on the "
              + settings.score().id()
              + " score but no autoencoder was trained for this version");
    }
    for (Map.Entry<ScoreKind, double[]> entry : calibrationScores.entrySet()) {
      ScoreKind kind = entry.getKey();
      double[] scores = entry.getValue();
      try {
        if (kind == settings.score()) {
          ThresholdChoice choice = settings.threshold();
          double[] labelled =
              choice.method() == ThresholdMethod.BEST_F1
                  ? scorers.get(kind).apply(choice.labelledAnomalies())
                  : null;
          chosen =
              switch (choice.method()) {
                case FALSE_ALARM ->
                    Calibration.fromNormalScores(scores, settings.targetFalseAlarmRate());
                case PERCENTILE -> Calibration.atPercentile(scores, choice.percentile());
                case BEST_F1 ->
                    Calibration.bestF1(scores, labelled, settings.targetFalseAlarmRate());
              };
          if (labelled != null) {
            labelledRecall = Calibration.falseAlarmRate(labelled, chosen.threshold());
          }
        } else {
          alternatives.add(
              ModelMetadata.CalibrationRecord.of(
                  kind, Calibration.fromNormalScores(scores, settings.targetFalseAlarmRate())));
        }
      } catch (IllegalArgumentException e) {
        String problem = "no threshold for the " + kind.id() + " score: " + e.getMessage();
        (kind == settings.score() ? refusals : warnings).add(problem);
      }
    }
    refusals.addAll(gate(settings, fit.clusterCount(), chosen));
    DriftReference drift = null;
    if (chosen != null) {
      double[] chosenScores = calibrationScores.get(settings.score());
      boolean[] flagged = new boolean[chosenScores.length];
      for (int i = 0; i < flagged.length; i++) {
        flagged[i] = chosenScores[i] > chosen.threshold();
      }
      drift =
          DriftReference.fit(
              fitVectors,
              calibrationVectors,
              flagged,
              settings.targetFalseDriftRate(),
              DEFAULT_SEED);
    }
    TermStatistics terms = fitTexts.isEmpty() ? null : TermStatistics.fit(fitTexts);
    warnings.addAll(warnings(settings, fit, calibrationVectors.length));
    ThresholdChoice choice = settings.threshold();
    if (choice.method() == ThresholdMethod.BEST_F1
        && choice.labelledAnomalies().length < ThresholdChoice.FEW_LABELLED_ANOMALIES) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "the best-f1 threshold was set on only %d labelled anomalies (%s): it fits those few"
                  + " and may miss other kinds or flag more normal messages than the %.4f target;"
                  + " its recall on them (%.2f) is optimistic. Check it on anomalies it has not"
                  + " seen (scripts/evaluate)",
              choice.labelledAnomalies().length,
              choice.labelledAnomaliesSource(),
              settings.targetFalseAlarmRate(),
              labelledRecall == null ? Double.NaN : labelledRecall));
    }

    ModelMetadata metadata =
        new ModelMetadata(
            ModelMetadata.FORMAT_VERSION,
            settings.modelName(),
            ModelStore.versionNameFor(now),
            now,
            CodeVersion.current(),
            embedding,
            new ModelMetadata.Hyperparameters(
                settings.hdbscan().minClusterSize(),
                settings.hdbscan().minSamples(),
                settings.knnK()),
            new ModelMetadata.Training(
                fitVectors.length,
                Arrays.stream(fit.clusterSizes()).boxed().toList(),
                fit.noiseFraction(),
                source,
                sample.cluster().length == fitVectors.length ? null : sample.cluster().length,
                reference.length == fitVectors.length ? null : reference.length),
            chosen == null
                ? null
                : ModelMetadata.CalibrationRecord.of(settings.score(), chosen)
                    .withMethod(settings.threshold(), labelledRecall),
            alternatives,
            drift == null ? null : drift.metadata(),
            autoencoder == null ? null : autoencoder.description(),
            null);
    return new TrainedModel(
        metadata,
        fit,
        chosen,
        drift,
        terms,
        sample.reference() == sample.cluster() ? null : reference,
        knnIndex,
        autoencoder == null ? null : autoencoder.network(),
        List.copyOf(refusals),
        List.copyOf(warnings));
  }

  /**
   * The rows HDBSCAN fits and the kNN score's reference; the same array when the reference is the
   * cluster sample.
   */
  record Sample(float[][] cluster, float[][] reference) {}

  /**
   * Picks the cluster sample and the kNN reference from the fit rows: one seeded shuffle, the
   * reference its first {@code knnReferenceSize} rows (all rows, in their order, when that is 0 or
   * at least their count), the cluster sample the first {@code clusterSampleSize} of those, so
   * every clustered row is also a reference row. HDBSCAN costs O(n²) time (18 s at 16,000 rows on 2
   * cores) while the kNN reference grows at O(n) memory and, through the index, O(log n) per query,
   * so a large history is clustered on a sample but scored against many more rows.
   */
  static Sample sample(float[][] fitVectors, Settings settings) {
    int rows = fitVectors.length;
    int referenceSize =
        settings.knnReferenceSize() == 0 ? rows : Math.min(rows, settings.knnReferenceSize());
    int clusterSize =
        settings.clusterSampleSize() == 0
            ? referenceSize
            : Math.min(referenceSize, settings.clusterSampleSize());
    if (clusterSize == rows) {
      return new Sample(fitVectors, fitVectors);
    }
    int[] order = new int[rows];
    Arrays.setAll(order, i -> i);
    Random random = new Random(DEFAULT_SEED);
    int shuffled = referenceSize == rows ? clusterSize : referenceSize;
    // partial Fisher-Yates: the first positions end up a uniform random subset, in random order
    for (int i = 0; i < shuffled; i++) {
      int j = i + random.nextInt(rows - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    float[][] cluster = new float[clusterSize][];
    Arrays.setAll(cluster, i -> fitVectors[order[i]]);
    if (clusterSize == referenceSize) {
      return new Sample(cluster, cluster);
    }
    float[][] reference = fitVectors;
    if (referenceSize < rows) {
      reference = new float[referenceSize][];
      Arrays.setAll(reference, i -> fitVectors[order[i]]);
    }
    return new Sample(cluster, reference);
  }

  /** The HNSW index for a reference of at least the crossover size, else null. */
  static KnnIndex knnIndex(float[][] reference, Settings settings) {
    if (reference.length < settings.annMinReference()) {
      return null;
    }
    return KnnIndex.build(
        reference,
        KnnIndex.DEFAULT_MAX_CONNECTIONS,
        KnnIndex.DEFAULT_BUILD_BEAM,
        searchBeam(settings.knnK()),
        DEFAULT_SEED);
  }

  /**
   * Writes a publishable model as a new version of {@code store} and publishes it as LATEST.
   *
   * @return the metadata as stored, with file checksums
   * @throws IllegalStateException when the gate refused the model
   */
  public static ModelMetadata publish(ModelStore store, TrainedModel trained) throws IOException {
    return publishRelease(store, trained, List.of());
  }

  /**
   * Writes a release, the global model with group models, as one new version of {@code store} and
   * publishes it as LATEST: every group model is written and checked before the version exists, so
   * a detector following LATEST sees the whole release or the previous one.
   *
   * @param groups the group models: trained now ({@link #groupModel}) or kept from an earlier
   *     release ({@link ModelStore.GroupModel#kept})
   * @return the global model's metadata as stored, with file checksums
   * @throws IllegalStateException when the gate refused the global model
   */
  public static ModelMetadata publishRelease(
      ModelStore store, TrainedModel trained, List<ModelStore.GroupModel> groups)
      throws IOException {
    if (!trained.publishable()) {
      throw new IllegalStateException(
          "the model was refused and must not be published: " + trained.refusals());
    }
    ModelMetadata stored = store.writeVersion(trained.metadata(), artifacts(trained), groups);
    store.publishLatest(
        stored.version(),
        LatestChange.TRAIN,
        LatestChange.currentUser(),
        "trained on "
            + trained.metadata().training().source().description()
            + (groups.isEmpty() ? "" : ", with " + groups.size() + " group models"));
    return stored;
  }

  /**
   * A model trained on one group's rows, as a release stores it.
   *
   * @throws IllegalStateException when the gate refused it
   */
  public static ModelStore.GroupModel groupModel(String group, TrainedModel trained) {
    if (!trained.publishable()) {
      throw new IllegalStateException(
          "the model of group "
              + group
              + " was refused and must not be published: "
              + trained.refusals());
    }
    return new ModelStore.GroupModel(group, trained.metadata(), artifacts(trained));
  }

  /** The files of a trained model as a version stores them (its metadata.json aside). */
  public static Map<String, ArtifactWriter> artifacts(TrainedModel trained) {
    Map<String, ArtifactWriter> files = new LinkedHashMap<>();
    files.put(
        AnomalyDetector.HDBSCAN_FILE, out -> trained.model().writeTo(new DataOutputStream(out)));
    files.put(
        AnomalyDetector.MAP_FILE, out -> mapBasis(trained).writeTo(new DataOutputStream(out)));
    if (trained.drift() != null) {
      files.put(DriftReference.FILE, out -> trained.drift().writeTo(new DataOutputStream(out)));
    }
    if (trained.terms() != null) {
      files.put(TermStatistics.FILE, out -> trained.terms().writeTo(new DataOutputStream(out)));
    }
    if (trained.knnReference() != null) {
      files.put(
          KnnReference.FILE,
          out -> KnnReference.writeTo(trained.knnReference(), new DataOutputStream(out)));
    }
    if (trained.knnIndex() != null) {
      files.put(KnnIndex.FILE, out -> trained.knnIndex().writeTo(new DataOutputStream(out)));
    }
    if (trained.autoencoder() != null) {
      files.put(Autoencoder.FILE, out -> trained.autoencoder().writeTo(out));
    }
    return files;
  }

  /** The 2-D map basis of the fitted vectors, seeded like the rest of the training. */
  static Pca mapBasis(TrainedModel trained) {
    return Pca.fit(trained.model().trainingPoints(), DEFAULT_SEED);
  }

  /** Why a model with this outcome must not be published. */
  static List<String> gate(Settings settings, int clusterCount, Calibration calibration) {
    List<String> refusals = new ArrayList<>();
    if (settings.score() == ScoreKind.GLOSH && clusterCount == 0) {
      refusals.add(
          "HDBSCAN found no cluster, so GLOSH scores carry no signal: lower min_cluster_size"
              + " or min_samples, or decide on the knn score");
    }
    if (calibration != null) {
      if (!Double.isFinite(calibration.threshold())) {
        refusals.add("the threshold is not finite: " + calibration.threshold());
      }
      double rate =
          Double.isNaN(calibration.crossCheckedFalseAlarmRate())
              ? calibration.achievedFalseAlarmRate()
              : calibration.crossCheckedFalseAlarmRate();
      double limit = FALSE_ALARM_TOLERANCE * calibration.targetFalseAlarmRate();
      if (rate > limit) {
        refusals.add(
            String.format(
                Locale.ROOT,
                "the cross-checked false-alarm rate on the calibration rows is %.4f, above"
                    + " %.1f x the target %.4f: add held-out normal rows or check that they are"
                    + " like the training rows",
                rate,
                FALSE_ALARM_TOLERANCE,
                calibration.targetFalseAlarmRate()));
      }
    }
    return refusals;
  }

  private static List<String> warnings(Settings settings, HdbscanResult fit, int calibrationRows) {
    List<String> warnings = new ArrayList<>();
    if (fit.noiseFraction() > HIGH_NOISE_FRACTION) {
      HdbscanParams params = settings.hdbscan();
      // the advice depends on the score in use: only GLOSH depends on clusters, so with the
      // others only the cluster labels (and the cluster decision rule) suffer
      boolean clusterFree = settings.score() != ScoreKind.GLOSH;
      String consequence =
          clusterFree
              ? "the cluster labels describe little of the data (the "
                  + settings.score().id()
                  + " score this model decides on does not use them)"
              : "the clusters describe little of the data";
      String advice = clusterFree ? "" : ", or decide on the knn score instead";
      warnings.add(
          String.format(
              Locale.ROOT,
              "%.0f%% of the training rows are noise: %s. For more clusters try min_samples=%d"
                  + " or min_cluster_size=%d%s",
              100 * fit.noiseFraction(),
              consequence,
              Math.max(1, params.minSamples() / 2),
              Math.max(2, params.minClusterSize() / 2),
              advice));
    }
    if (calibrationRows + 1 < 1 / settings.targetFalseAlarmRate()) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "%d calibration rows are too few for a %.4f false-alarm rate: the threshold is"
                  + " the largest calibration score",
              calibrationRows,
              settings.targetFalseAlarmRate()));
    }
    return warnings;
  }

  /**
   * Rows split into those to fit and those held out for calibration.
   *
   * @param fit the rows to fit, in their original order
   * @param calibration the held-out rows, in their original order
   */
  public record HeldOut<T>(List<T> fit, List<T> calibration) {}

  /**
   * Splits {@code rows} by {@link #holdOut}: the same rows are held out for the same size, fraction
   * and seed, whichever tool trains.
   */
  public static <T> HeldOut<T> splitForCalibration(List<T> rows, double fraction, long seed) {
    boolean[] heldOut = holdOut(rows.size(), fraction, seed);
    List<T> fit = new ArrayList<>();
    List<T> calibration = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      (heldOut[i] ? calibration : fit).add(rows.get(i));
    }
    return new HeldOut<>(List.copyOf(fit), List.copyOf(calibration));
  }

  /**
   * Which of {@code rows} rows to hold out for calibration: a seeded random {@code fraction} of
   * them (at least one), the same for the same seed.
   */
  public static boolean[] holdOut(int rows, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException(
          "the calibration fraction must be in (0, 1), was " + fraction);
    }
    if (rows < 2) {
      throw new IllegalArgumentException(
          "need at least two rows to hold some out for calibration, got " + rows);
    }
    int heldOut = (int) Math.max(1, Math.round(rows * fraction));
    int[] order = new int[rows];
    Arrays.setAll(order, i -> i);
    Random random = new Random(seed);
    // partial Fisher-Yates: the first heldOut positions end up a uniform random subset
    for (int i = 0; i < heldOut; i++) {
      int j = i + random.nextInt(rows - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    boolean[] mask = new boolean[rows];
    for (int i = 0; i < heldOut; i++) {
      mask[order[i]] = true;
    }
    return mask;
  }
}
