package dev.anomalystream.train;

import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.ModelTrainer;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the retraining pipeline. */
public interface TrainOptions extends GcpOptions {

  @Description(
      "BigQuery detections table to learn from, project:dataset.table (or use --historyFiles)")
  @Default.String("")
  String getHistoryTable();

  void setHistoryTable(String value);

  @Description(
      "The detector's local NDJSON rows to learn from, a glob such as out/detect/rows/*.json")
  @Default.String("")
  String getHistoryFiles();

  void setHistoryFiles(String value);

  @Description("Only rows processed at or after this ISO-8601 instant; empty = no lower bound")
  @Default.String("")
  String getFrom();

  void setFrom(String value);

  @Description("Only rows processed before this ISO-8601 instant; empty = no upper bound")
  @Default.String("")
  String getTo();

  void setTo(String value);

  @Description("Also learn from rows the detector flagged as anomalies")
  @Default.Boolean(false)
  boolean getIncludeAnomalies();

  void setIncludeAnomalies(boolean value);

  @Description(
      "Model store root (local or gs://): the new version goes to <modelRoot>/<modelName>/")
  @Validation.Required
  String getModelRoot();

  void setModelRoot(String value);

  @Description("Model name in the store")
  @Default.String("tweets")
  String getModelName();

  void setModelName(String value);

  @Description(
      "Sentence-embedding model for rows without a stored embedding of the same model; default:"
          + " the one the current model version was trained with, else "
          + EmbeddingModelSpec.DEFAULT)
  String getEmbeddingModel();

  void setEmbeddingModel(String value);

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

  @Description("Score the threshold is calibrated on: glosh or knn")
  @Default.String("knn")
  String getScore();

  void setScore(String value);

  @Description("Share of normal messages the calibrated threshold may flag")
  @Default.Double(Calibration.DEFAULT_TARGET_FALSE_ALARM_RATE)
  double getTargetFalseAlarmRate();

  void setTargetFalseAlarmRate(double value);

  @Description("Share of the history held out of the fit to calibrate the threshold")
  @Default.Double(ModelTrainer.DEFAULT_CALIBRATION_FRACTION)
  double getCalibrationFraction();

  void setCalibrationFraction(double value);

  @Description("Seed of the calibration hold-out")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description("Where the training report (one JSON line) and unreadable history rows are written")
  @Default.String("out/train")
  String getReportDirectory();

  void setReportDirectory(String value);
}
