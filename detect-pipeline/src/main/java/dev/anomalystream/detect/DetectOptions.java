package dev.anomalystream.detect;

import dev.anomalystream.core.embedding.EmbedTexts;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Options of the detect pipeline; Pub/Sub, project and runner options come from the parents. */
public interface DetectOptions extends PubsubOptions {

  // ---- input
  @Description(
      "Pub/Sub subscription to read (a name in --project or projects/<p>/subscriptions/<s>)")
  String getSubscription();

  void setSubscription(String value);

  @Description(
      "Pub/Sub topic to read when no --subscription is given (the runner makes its own"
          + " subscription)")
  String getTopic();

  void setTopic(String value);

  @Description(
      "Attribute holding the message uid; also the Pub/Sub id attribute, so redeliveries are"
          + " deduplicated")
  @Default.String("uid")
  String getUidAttribute();

  void setUidAttribute(String value);

  @Description("Messages with more characters than this go to the dead letters")
  @Default.Integer(5000)
  int getMaxChars();

  void setMaxChars(int value);

  // ---- model
  @Description("Model root (with <modelName>/LATEST) or one version directory; local or gs://")
  @Validation.Required
  String getModel();

  void setModel(String value);

  @Description("Model name under --model")
  @Default.String("tweets")
  String getModelName();

  void setModelName(String value);

  @Description(
      "Seconds between checks of <model>/<modelName>/LATEST for a new version (0 = never; a version"
          + " directory is never re-read)")
  @Default.Integer(300)
  int getModelRefreshSeconds();

  void setModelRefreshSeconds(int value);

  @Description(
      "Sentence-embedding model (builtin:NAME, a directory in Hugging Face layout, or"
          + " hf://org/name); default: the one the current model version was trained with, else "
          + EmbeddingModelSpec.DEFAULT)
  String getEmbeddingModel();

  void setEmbeddingModel(String value);

  @Description("Most messages per model call")
  @Default.Integer(EmbedTexts.DEFAULT_MAX_BATCH_SIZE)
  int getMaxBatchSize();

  void setMaxBatchSize(int value);

  @Description("Longest a message waits for its batch to fill, in milliseconds")
  @Default.Integer(1000)
  int getMaxBatchWaitMillis();

  void setMaxBatchWaitMillis(int value);

  @Description("ONNX Runtime intra-op threads per model session (0 = ONNX Runtime's default)")
  @Default.Integer(0)
  int getIntraOpThreads();

  void setIntraOpThreads(int value);

  // ---- decision
  @Description(
      "threshold: is_anomaly = score > threshold (calibrated, from the model); cluster: is_anomaly"
          + " = cluster == -1")
  @Default.String("threshold")
  String getDecision();

  void setDecision(String value);

  @Description(
      "Score the threshold applies to: glosh or knn; empty = the one the model was calibrated on")
  @Default.String("")
  String getScore();

  void setScore(String value);

  @Description("Threshold overriding the model's calibrated one; empty = the model's")
  String getOutlierScoreThreshold();

  void setOutlierScoreThreshold(String value);

  // ---- outputs
  @Description(
      "BigQuery table for the rows, project:dataset.table; empty writes NDJSON files under"
          + " --outputDirectory")
  @Default.String("")
  String getOutputTable();

  void setOutputTable(String value);

  @Description("BigQuery table for dead letters and failed inserts; empty = <outputTable>_errors")
  @Default.String("")
  String getErrorTable();

  void setErrorTable(String value);

  @Description(
      "Local (or gs://) directory for NDJSON rows and dead letters when no --outputTable is given")
  @Default.String("out/detect")
  String getOutputDirectory();

  void setOutputDirectory(String value);

  @Description("How often NDJSON output files are closed, in seconds")
  @Default.Integer(10)
  int getFileFlushSeconds();

  void setFileFlushSeconds(int value);

  @Description(
      "Also write each message's embedding (REPEATED FLOAT), so retraining need not embed again")
  @Default.Boolean(false)
  boolean getWriteEmbeddings();

  void setWriteEmbeddings(boolean value);

  // ---- alerts
  @Description("Seconds of anomalies gathered into one email digest")
  @Default.Integer(60)
  int getAlertWindowSeconds();

  void setAlertWindowSeconds(int value);

  @Description("Most alert emails per clock hour; digests beyond it are counted, not sent")
  @Default.Integer(20)
  int getMaxEmailsPerHour();

  void setMaxEmailsPerHour(int value);

  @Description("Most anomalies listed in one digest (the count stays exact)")
  @Default.Integer(50)
  int getMaxAnomaliesPerDigest();

  void setMaxAnomaliesPerDigest(int value);

  @Description("SMTP host; empty writes digests as .eml files to --outboxDirectory")
  @Default.String("")
  String getSmtpHost();

  void setSmtpHost(String value);

  @Description("SMTP port")
  @Default.Integer(587)
  int getSmtpPort();

  void setSmtpPort(int value);

  @Description("SMTP security: none, starttls or ssl")
  @Default.String("starttls")
  String getSmtpTls();

  void setSmtpTls(String value);

  @Description("SMTP user; empty for no authentication")
  @Default.String("")
  String getSmtpUser();

  void setSmtpUser(String value);

  @Description(
      "Environment variable holding the SMTP password (never pass a password as an option)")
  @Default.String("SMTP_PASSWORD")
  String getSmtpPasswordEnv();

  void setSmtpPasswordEnv(String value);

  @Description("File holding the SMTP password; takes precedence over --smtpPasswordEnv")
  @Default.String("")
  String getSmtpPasswordFile();

  void setSmtpPasswordFile(String value);

  @Description("Sender address of alert emails")
  @Default.String("anomaly-stream@localhost")
  String getAlertFrom();

  void setAlertFrom(String value);

  @Description("Comma-separated recipients of alert emails")
  @Default.String("")
  String getAlertTo();

  void setAlertTo(String value);

  @Description("Directory for .eml digests when no --smtpHost is set")
  @Default.String("out/detect/outbox")
  String getOutboxDirectory();

  void setOutboxDirectory(String value);

  @Description("SMTP attempts per digest, with exponential backoff from 1 s")
  @Default.Integer(4)
  int getSmtpAttempts();

  void setSmtpAttempts(int value);
}
