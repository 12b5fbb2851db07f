package dev.anomalystream.core.options;

import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.ThresholdChoice;
import dev.anomalystream.core.model.ThresholdMethod;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** How a model is fitted, calibrated and published; the trainer and the retraining share them. */
public interface TrainingOptions extends ModelStoreOptions, HoldOutOptions {
  @Description("HDBSCAN min_cluster_size")
  @Default.Integer(ModelTrainer.DEFAULT_MIN_CLUSTER_SIZE)
  int getMinClusterSize();

  void setMinClusterSize(int value);

  @Description("HDBSCAN min_samples")
  @Default.Integer(ModelTrainer.DEFAULT_MIN_SAMPLES)
  int getMinSamples();

  void setMinSamples(int value);

  @Description("Neighbours averaged by the knn score")
  @Default.Integer(ModelTrainer.DEFAULT_KNN_K)
  int getKnnK();

  void setKnnK(int value);

  @Description("Score the threshold is calibrated on: glosh, knn or autoencoder")
  @Default.Enum("KNN")
  ScoreKind getScore();

  void setScore(ScoreKind value);

  @Description("Share of normal messages the calibrated threshold may flag")
  @Default.Double(Calibration.DEFAULT_TARGET_FALSE_ALARM_RATE)
  double getTargetFalseAlarmRate();

  void setTargetFalseAlarmRate(double value);

  @Description("False drift windows per day the drift threshold allows")
  @Default.Double(DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE)
  double getTargetFalseDriftRate();

  void setTargetFalseDriftRate(double value);

  @Description(
      "Training vectors from which the knn score is served through an HNSW index stored with the"
          + " version (knn-index.bin); smaller references are scored exactly. Default 50,000;"
          + " docs/BENCHMARKS.md has its recall and speed by size")
  @Default.Integer(ModelTrainer.DEFAULT_ANN_MIN_REFERENCE)
  int getAnnMinReference();

  void setAnnMinReference(int value);

  @Description(
      "How the chosen score's threshold is set: false-alarm (the conformal threshold for"
          + " --targetFalseAlarmRate), percentile (--thresholdPercentile of the held-out normal"
          + " scores) or best-f1 (best F1 against --labelledAnomalies, scripts/train only)")
  @Default.Enum("FALSE_ALARM")
  ThresholdMethod getThresholdMethod();

  void setThresholdMethod(ThresholdMethod value);

  @Description("Percentile of the held-out normal scores for --thresholdMethod=percentile")
  @Default.Double(99)
  double getThresholdPercentile();

  void setThresholdPercentile(double value);

  @Description(
      "Fit rows HDBSCAN is fitted on, a seeded sample (HDBSCAN costs O(n^2): about 18 s at 16,000"
          + " rows on 2 cores); 0 (default) fits every row. The knn score's reference still holds"
          + " every fit row (see --knnReferenceSize), stored as knn-reference.bin, so the knn"
          + " decision keeps its quality; the clusters may not (a 4,000 sample of the development"
          + " tweets left 98.5% noise: docs/BENCHMARKS.md)")
  @Default.Integer(0)
  int getClusterSampleSize();

  void setClusterSampleSize(int value);

  @Description(
      "Fit rows the knn score's reference keeps, a seeded sample holding the cluster sample; 0"
          + " (default) keeps every fit row. With --annMinReference a large reference is searched"
          + " through an HNSW index; docs/BENCHMARKS.md has train times by size")
  @Default.Integer(0)
  int getKnnReferenceSize();

  void setKnnReferenceSize(int value);

  /**
   * The options as the trainer's settings.
   *
   * @throws IllegalArgumentException for {@code --thresholdMethod=best-f1}, which needs labelled
   *     anomalies: see {@link #settings(TrainingOptions, String, float[][])}
   */
  static ModelTrainer.Settings settings(TrainingOptions options) {
    return settings(options, null, null);
  }

  /**
   * The options as the trainer's settings, with the labelled anomalies {@code
   * --thresholdMethod=best-f1} sets the threshold with.
   *
   * @param labelledAnomaliesSource where they came from, or null for none
   * @param labelledAnomalies their embeddings, or null for none
   */
  static ModelTrainer.Settings settings(
      TrainingOptions options, String labelledAnomaliesSource, float[][] labelledAnomalies) {
    return new ModelTrainer.Settings(
        options.getModelName(),
        new HdbscanParams(options.getMinClusterSize(), options.getMinSamples()),
        options.getKnnK(),
        options.getScore(),
        options.getTargetFalseAlarmRate(),
        options.getTargetFalseDriftRate(),
        options.getAnnMinReference(),
        new ThresholdChoice(
            options.getThresholdMethod(),
            options.getThresholdPercentile(),
            labelledAnomaliesSource,
            labelledAnomalies),
        options.getClusterSampleSize(),
        options.getKnnReferenceSize());
  }
}
