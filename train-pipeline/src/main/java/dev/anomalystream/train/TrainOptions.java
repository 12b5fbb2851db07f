package dev.anomalystream.train;

import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.GroupOptions;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the retraining pipeline; the model store, training and embedding options are shared
 * with {@link TrainModel} through the parents, so both spell them the same.
 */
public interface TrainOptions
    extends GcpOptions, AutoencoderOptions, EmbeddingOptions, GroupOptions, GroupTrainingOptions {
  /** Exactly one of the history sources is given: the pipeline checks "exactly". */
  String HISTORY = "history";

  @Description(
      "BigQuery detections table to learn from, project:dataset.table (or use --historyFiles)")
  @Validation.Required(groups = HISTORY)
  String getHistoryTable();

  void setHistoryTable(String value);

  @Description(
      "The detector's local NDJSON rows to learn from, a glob such as out/detect/rows/*.json")
  @Validation.Required(groups = HISTORY)
  String getHistoryFiles();

  void setHistoryFiles(String value);

  @Description("Only rows processed at or after this ISO-8601 instant; empty = no lower bound")
  String getFrom();

  void setFrom(String value);

  @Description("Only rows processed before this ISO-8601 instant; empty = no upper bound")
  String getTo();

  void setTo(String value);

  @Description(
      "Learn from the last N days of history: rows processed since 00:00 UTC N days ago (the"
          + " later of this and --from applies); 0 = all history")
  @Default.Integer(30)
  int getHistoryDays();

  void setHistoryDays(int value);

  @Description(
      "Existing BigQuery dataset, [project:]dataset, for the history query's temporary result"
          + " table (the job then needs only roles/bigquery.dataEditor on it); empty = BigQuery"
          + " creates a temporary dataset, which needs roles/bigquery.user on the project")
  @Default.String("")
  String getQueryTempDataset();

  void setQueryTempDataset(String value);

  @Description("Also learn from rows the detector flagged as anomalies")
  @Default.Boolean(false)
  boolean getIncludeAnomalies();

  void setIncludeAnomalies(boolean value);

  @Description(
      "With --groupAttribute: a group without a new model (absent from this history, too small or"
          + " refused) keeps its model from the previous"
          + " release while that model is younger than this many days; 0 keeps none")
  @Default.Integer(30)
  int getGroupRetentionDays();

  void setGroupRetentionDays(int value);

  @Description("Where the training report (one JSON line) and unreadable history rows are written")
  @Default.String("out/train")
  String getReportDirectory();

  void setReportDirectory(String value);
}
