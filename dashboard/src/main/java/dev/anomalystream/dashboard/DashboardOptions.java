package dev.anomalystream.dashboard;

import dev.anomalystream.core.options.KafkaOptions;
import dev.anomalystream.core.options.MessageBus;
import dev.anomalystream.core.options.ModelNameOptions;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The dashboard's flags. Beam's options parser, like every command of the project: a misspelt flag
 * is an error naming it, and {@code --help=DashboardOptions} lists them with their defaults.
 */
public interface DashboardOptions extends KafkaOptions, GcpOptions, ModelNameOptions {
  @Description("TCP port of the page and its event stream")
  @Default.Integer(8080)
  int getPort();

  void setPort(int value);

  @Description(
      "Address to listen on: 127.0.0.1 (default) keeps the page on this machine; 0.0.0.0 opens it"
          + " to the network")
  @Default.String("127.0.0.1")
  String getBind();

  void setBind(String value);

  @Description(
      "The detector's NDJSON rows directory (its --outputDirectory/rows) to follow: every *.json"
          + " file in it is read once, those there at start and those that appear later")
  String getRows();

  void setRows(String value);

  @Description(
      "The output directory of the detector's stream view (or of scripts/evaluate-stream): its"
          + " windows/ and topics/ are followed for the page's drift and topic panels, with any"
          + " source. Default: with --rows=DIR, DIR's parent, where the detector writes them"
          + " beside rows/; otherwise none")
  String getStreamView();

  void setStreamView(String value);

  @Description(
      "Follow the detections topic instead of a rows directory: kafka (with --bootstrapServers and"
          + " --detectionsTopic) or pubsub (with --subscription)")
  MessageBus getSource();

  void setSource(MessageBus value);

  @Description(
      "With --source=pubsub: the dashboard's own subscription on the detector's"
          + " --detectionsTopic, a name in --project or projects/<p>/subscriptions/<s>")
  String getSubscription();

  void setSubscription(String value);

  @Description(
      "Pub/Sub's root URL; an emulator's is http://host:port (scripts/dashboard passes it when"
          + " PUBSUB_EMULATOR_HOST is set)")
  @Default.String("https://pubsub.googleapis.com")
  String getPubsubRootUrl();

  void setPubsubRootUrl(String value);

  @Description("With --source=kafka: the detector's --detectionsTopic, read from its latest offset")
  String getDetectionsTopic();

  void setDetectionsTopic(String value);

  @Description(
      "Follow a BigQuery table instead: the detector's --outputTable, PROJECT:DATASET.TABLE (or"
          + " DATASET.TABLE in --project), polled every --pollSeconds; its stream view's"
          + " <table>_windows and <table>_topics too when they exist. Query jobs run in --project,"
          + " else in the table's project")
  String getTable();

  void setTable(String value);

  @Description("With --table: seconds between two polls of BigQuery")
  @Default.Integer(2)
  int getPollSeconds();

  void setPollSeconds(int value);

  @Description(
      "With --table: how far before the newest processed_time seen each poll looks again, for rows"
          + " BigQuery made visible late (the detector commits every"
          + " --bigQueryTriggeringFrequencySeconds); rows read twice are shown once")
  @Default.Integer(30)
  int getPollOverlapSeconds();

  void setPollOverlapSeconds(int value);

  @Description(
      "With --table: BigQuery's root URL; null is Google's (a local stand-in's is"
          + " http://host:port)")
  String getBigQueryRootUrl();

  void setBigQueryRootUrl(String value);

  @Description(
      "Optional: the detector's --model (a local model store root with <modelName>/, or one version"
          + " directory); the page then shows each version's calibrated false-alarm rate beside"
          + " the anomaly rate it sees")
  String getModel();

  void setModel(String value);

  @Description(
      "Rows kept for browsers that connect or reconnect (Last-Event-ID): the page's history")
  @Default.Integer(5000)
  int getRecentRows();

  void setRecentRows(int value);

  @Description(
      "Events waiting for one browser: when a slow browser has this many, the oldest is dropped"
          + " (and counted) so it never holds up the server or other browsers")
  @Default.Integer(1000)
  int getClientQueueSize();

  void setClientQueueSize(int value);
}
