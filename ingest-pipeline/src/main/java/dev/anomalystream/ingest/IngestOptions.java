package dev.anomalystream.ingest;

import dev.anomalystream.core.dataset.DatasetFormat;
import dev.anomalystream.core.dataset.HuggingFaceDatasets;
import dev.anomalystream.core.options.GroupOptions;
import dev.anomalystream.core.options.KafkaOptions;
import dev.anomalystream.core.options.MessageBus;
import java.util.List;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the ingest pipeline; Pub/Sub, project and runner options come from the parents. What
 * depends on the sink is checked by {@link IngestPipeline#validate}.
 */
public interface IngestOptions extends PubsubOptions, KafkaOptions, GroupOptions {

  @Description(
      "Corpus to read: a file or glob (local or gs://) in text;label, jsonl(.gz), csv or"
          + " one-text-per-line format, or a Hugging Face dataset as"
          + " hf://dair-ai/emotion?split=train")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Input format: auto (the default: by file name and first line), emotion_txt, jsonl, csv or"
          + " lines")
  DatasetFormat getFormat();

  void setFormat(DatasetFormat value);

  @Description(
      "Split to record on every message; empty infers train/validation/test from the file name")
  @Default.String("")
  String getSplit();

  void setSplit(String value);

  @Description(
      "Classes to publish, names or ids, comma-separated (e.g. sadness,anger,surprise); all by"
          + " default")
  List<String> getClasses();

  void setClasses(List<String> value);

  @Description("Publish at most this many messages (the first by source and line); 0 = no limit")
  @Default.Long(0)
  long getLimit();

  void setLimit(long value);

  @Description("Fraction of the selected messages to publish, chosen by a seeded hash of the uid")
  @Default.Double(1.0)
  double getSample();

  void setSample(double value);

  @Description("Seed of the --sample selection")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description("Lines with more characters than this are rejected")
  @Default.Integer(5000)
  int getMaxChars();

  void setMaxChars(int value);

  @Description(
      "Topic to publish to: on Pub/Sub a name in --project or projects/<project>/topics/<name>;"
          + " on Kafka (--sink=kafka) a topic name")
  @Validation.Required
  String getTopic();

  void setTopic(String value);

  @Description("Where messages go: pubsub (the default) or kafka (then --bootstrapServers)")
  @Default.Enum("PUBSUB")
  MessageBus getSink();

  void setSink(MessageBus value);

  @Description(
      "With --groupAttribute: the corpus column whose value is each message's group: label (the"
          + " class name; unlabelled messages get no group) or split")
  String getGroupColumn();

  void setGroupColumn(String value);

  @Description("With --groupAttribute: one group value for every message of this run")
  String getGroupValue();

  void setGroupValue(String value);

  @Description("Attribute that carries the message uid (the detector's id attribute)")
  @Default.String("uid")
  String getUidAttribute();

  void setUidAttribute(String value);

  @Description(
      "Messages per second to replay at, so a local run looks like a live stream; 0 = as fast as"
          + " possible")
  @Default.Double(0)
  double getRate();

  void setRate(double value);

  @Description("Where rejected lines go, as JSON lines (file prefix, local or gs://)")
  @Default.String("out/ingest/rejects")
  String getRejectsOutput();

  void setRejectsOutput(String value);

  @Description("Base URL of the Hugging Face dataset viewer API that hf:// inputs are read from")
  @Default.String(HuggingFaceDatasets.DEFAULT_ENDPOINT)
  String getHubEndpoint();

  void setHubEndpoint(String value);

  @Description("Directory where hf:// datasets are cached")
  @Default.String(".cache/hf")
  String getHubCacheDir();

  void setHubCacheDir(String value);
}
