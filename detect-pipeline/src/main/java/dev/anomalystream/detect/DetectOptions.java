package dev.anomalystream.detect;

import dev.anomalystream.core.alert.MailSettings;
import dev.anomalystream.core.beam.FlinkSettings;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.embedding.EmbedTexts;
import dev.anomalystream.core.options.CheckpointOptions;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.GroupOptions;
import dev.anomalystream.core.options.KafkaOptions;
import dev.anomalystream.core.options.MessageBus;
import dev.anomalystream.core.options.ModelNameOptions;
import java.util.List;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the detect pipeline. Pub/Sub, project and runner options come from Beam's parents, the
 * Kafka bootstrap servers from {@link KafkaOptions}; the model name, the embedding and the decision
 * options are shared with the training tools, so they are spelt alike everywhere.
 */
public interface DetectOptions
    extends PubsubOptions,
        ModelNameOptions,
        EmbeddingOptions,
        DecisionOptions,
        BigQueryWriteOptions,
        CheckpointOptions,
        KafkaOptions,
        GroupOptions,
        LearningOptions {
  // ---- input: what depends on --source is checked by LaunchChecks (annotations cannot say it)
  @Description(
      "Message bus to read: pubsub (the default: --subscription or --topic) or kafka"
          + " (--bootstrapServers and --inputTopic)")
  @Default.Enum("PUBSUB")
  MessageBus getSource();

  void setSource(MessageBus value);

  @Description(
      "Pub/Sub subscription to read (a name in --project or projects/<p>/subscriptions/<s>)")
  String getSubscription();

  void setSubscription(String value);

  @Description(
      "Pub/Sub topic to read when no --subscription is given (the runner makes its own"
          + " subscription)")
  String getTopic();

  void setTopic(String value);

  @Description("Kafka topic to read with --source=kafka (created when missing)")
  String getInputTopic();

  void setInputTopic(String value);

  @Description(
      "Kafka consumer group of the detector: offsets are committed for it as the runner"
          + " checkpoints, and a restart resumes there (a new group starts at the earliest offset)")
  @Default.String("anomaly-detector")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description(
      "With --source=kafka, minutes a uid is remembered (processing time): a message whose uid was"
          + " seen within them is dropped as a redelivery")
  @Default.Integer(60)
  int getDeduplicationMinutes();

  void setDeduplicationMinutes(int value);

  @Description(
      "Attribute holding the message uid; also the Pub/Sub id attribute, so redeliveries are"
          + " deduplicated. From Kafka the record key fills it")
  @Default.String(MessageDecoder.DEFAULT_UID_ATTRIBUTE)
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

  @Description(
      "Seconds between checks of <model>/<modelName>/LATEST for a new version (0 = never; a version"
          + " directory is never re-read)")
  @Default.Integer(300)
  int getModelRefreshSeconds();

  void setModelRefreshSeconds(int value);

  @Description("Most messages per model call")
  @Default.Integer(EmbedTexts.DEFAULT_MAX_BATCH_SIZE)
  int getMaxBatchSize();

  void setMaxBatchSize(int value);

  @Description("Longest a message waits for its batch to fill, in milliseconds")
  @Default.Integer(1000)
  int getMaxBatchWaitMillis();

  void setMaxBatchWaitMillis(int value);

  @Description(
      "Keys the batching spreads messages over; each key fills its own batches. 0 (default) ="
          + " automatic: one per --parallelism subtask on Flink's embedded cluster, "
          + EmbedTexts.DEFAULT_SHARDS
          + " elsewhere (the DirectRunner embeds the keys' batches at once, on its threads)")
  @Default.Integer(0)
  int getBatchShards();

  void setBatchShards(int value);

  /**
   * {@link #getBatchShards()} resolved. On Flink's embedded cluster a subtask embeds its keys'
   * batches one after the other, so more keys than subtasks only cut the stream into smaller calls,
   * each costlier per text, that queue behind each other: at 48 messages/s four keys on one subtask
   * gave p99 6.8 s and one key 2.6-3.8 s (docs/BENCHMARKS.md). The DirectRunner runs different
   * keys' batches at once on its worker threads, each call on one intra-op thread, and four keys
   * beat one there; Dataflow splits a busy key itself ({@code withShardedKey}).
   */
  static int batchShards(DetectOptions options) {
    int shards = options.getBatchShards();
    if (shards < 0) {
      throw new IllegalArgumentException(
          "--batchShards must be 0 (automatic) or more, was " + shards);
    }
    if (shards > 0) {
      return shards;
    }
    return FlinkSettings.parallelismInThisJvm(options).orElse(EmbedTexts.DEFAULT_SHARDS);
  }

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

  @Description(
      "Topic to also publish every detection row to, as compact JSON, on the bus of --source"
          + " (Pub/Sub: a name in --project or a full path, attributes uid and is_anomaly; Kafka:"
          + " key = uid); empty = off")
  @Default.String("")
  String getDetectionsTopic();

  void setDetectionsTopic(String value);

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
  @Default.Enum("STARTTLS")
  MailSettings.Tls getSmtpTls();

  void setSmtpTls(MailSettings.Tls value);

  @Description("SMTP user; empty for no authentication")
  @Default.String("")
  String getSmtpUser();

  void setSmtpUser(String value);

  @Description(
      "Environment variable holding the SMTP password (never pass a password as an option)")
  @Default.String("SMTP_PASSWORD")
  String getSmtpPasswordEnv();

  void setSmtpPasswordEnv(String value);

  @Description(
      "File holding the SMTP password, for local runs (workers have no such file); takes precedence"
          + " over --smtpPasswordEnv")
  @Default.String("")
  String getSmtpPasswordFile();

  void setSmtpPasswordFile(String value);

  @Description(
      "Secret Manager secret version holding the SMTP password,"
          + " projects/<p>/secrets/<s>/versions/<n|latest>: the way on Dataflow (read by each"
          + " worker at start-up; its service account needs roles/secretmanager.secretAccessor)."
          + " Takes precedence over --smtpPasswordFile and --smtpPasswordEnv")
  @Default.String("")
  String getSmtpPasswordSecret();

  void setSmtpPasswordSecret(String value);

  @Description("Sender address of alert emails")
  @Default.String("anomaly-stream@localhost")
  String getAlertFrom();

  void setAlertFrom(String value);

  @Description("Recipients of alert emails (comma-separated)")
  List<String> getAlertTo();

  void setAlertTo(List<String> value);

  @Description("Directory for .eml digests when no --smtpHost is set")
  @Default.String("out/detect/outbox")
  String getOutboxDirectory();

  void setOutboxDirectory(String value);

  @Description("SMTP attempts per digest, with exponential backoff from 1 s")
  @Default.Integer(4)
  int getSmtpAttempts();

  void setSmtpAttempts(int value);
}
