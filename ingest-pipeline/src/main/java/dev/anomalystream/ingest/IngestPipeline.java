package dev.anomalystream.ingest;

import dev.anomalystream.core.beam.Launches;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.dataset.CorpusParser;
import dev.anomalystream.core.dataset.CorpusRecord;
import dev.anomalystream.core.dataset.HuggingFaceDatasets;
import dev.anomalystream.core.dataset.MessageSelection;
import dev.anomalystream.core.failure.FailureHandler;
import dev.anomalystream.core.failure.WriteFailuresAsJson;
import dev.anomalystream.core.kafka.KafkaTopics;
import dev.anomalystream.core.options.MessageBus;
import dev.anomalystream.core.options.OptionValues;
import dev.anomalystream.core.pubsub.PubsubPaths;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Loads the emotion corpus and publishes one UID-keyed message per line to Pub/Sub, or, with {@code
 * --sink=kafka}, one record per line (key = uid) to a Kafka topic.
 *
 * <pre>
 * ReadCorpus ─▶ SelectMessages ─▶ ToPubsubMessages ─┬▶ PublishMessages (Pub/Sub)
 *      │                                            └▶ PublishToKafka  (--sink=kafka)
 *      └──────▶ rejects (file, line, reason) ─▶ WriteRejects
 * </pre>
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(IngestOptions.class);
    IngestOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(IngestOptions.class);
    PipelineResult result = run(options);
    // no waitUntilFinish (see Launches): the DirectRunner has finished the job inside run()
    if (!Launches.finished(result)) {
      System.out.printf(
          "ingest job submitted (state %s); its counters are in the job's metrics%n",
          result.getState());
      return;
    }
    System.out.printf(
        "published %d messages to %s%s; rejected %d lines (reasons in %s.json)%n",
        MetricCounts.attempted(result, ToPubsubMessages.class, ToPubsubMessages.MESSAGES_COUNTER),
        options.getSink() == MessageBus.KAFKA ? "Kafka topic " : "",
        options.getTopic(),
        MetricCounts.attempted(result, ReadCorpus.class, ReadCorpus.REJECTED_COUNTER),
        options.getRejectsOutput());
  }

  /** Checks what depends on the sink; the options' annotations cannot express it. */
  static void validate(IngestOptions options) {
    if (options.getSink() == MessageBus.KAFKA
        && (options.getBootstrapServers() == null || options.getBootstrapServers().isBlank())) {
      throw new IllegalArgumentException(
          "--sink=kafka needs --bootstrapServers=host:port (a local broker: eval"
              + " \"$(scripts/kafka start)\", then --bootstrapServers=$KAFKA_BOOTSTRAP_SERVERS)");
    }
  }

  public static PipelineResult run(IngestOptions options) throws IOException {
    validate(options);
    boolean kafka = options.getSink() == MessageBus.KAFKA;
    String topicPath = null;
    if (kafka) {
      KafkaTopics.ensureExists(options.getBootstrapServers(), options.getTopic());
    } else {
      topicPath = PubsubPaths.topic(options.getTopic(), options.getProject());
      PubsubTopics.ensureExists(topicPath, options);
    }
    String input = resolveInput(options);

    Pipeline pipeline = Pipeline.create(options);
    try (FailureHandler rejects =
        FailureHandler.writingTo(
            "WriteRejects", WriteFailuresAsJson.to(options.getRejectsOutput()))) {
      PCollectionTuple read =
          pipeline.apply(
              "ReadCorpus",
              new ReadCorpus(
                  input,
                  new CorpusParser(options.getMaxChars(), options.getSplit()),
                  options.getFormat()));
      rejects.addErrorCollection(read.get(ReadCorpus.REJECTS));
      PCollection<CorpusRecord> selected =
          read.get(ReadCorpus.RECORDS)
              .apply(
                  "SelectMessages",
                  new SelectMessages(
                      new MessageSelection(
                          MessageSelection.parseClasses(options.getClasses()),
                          options.getSample(),
                          options.getSeed()),
                      options.getLimit()));
      PCollection<PubsubMessage> messages =
          selected.apply(
              "ToPubsubMessages",
              new ToPubsubMessages(
                  options.getUidAttribute(),
                  new MessageGroup(
                      OptionValues.blankToNull(options.getGroupAttribute()),
                      OptionValues.blankToNull(options.getGroupColumn()),
                      OptionValues.blankToNull(options.getGroupValue()))));
      if (kafka) {
        messages.apply(
            "PublishToKafka",
            new PublishToKafka(
                options.getBootstrapServers(),
                options.getTopic(),
                options.getUidAttribute(),
                options.getRate()));
      } else {
        messages.apply("PublishMessages", new PublishMessages(topicPath, options.getRate()));
      }
    }
    return pipeline.run();
  }

  /** An {@code hf://} input is downloaded (once, into the cache) and read as a local file. */
  private static String resolveInput(IngestOptions options) throws IOException {
    if (!HuggingFaceDatasets.isHubUri(options.getInput())) {
      return options.getInput();
    }
    Path cached =
        new HuggingFaceDatasets(options.getHubEndpoint(), Path.of(options.getHubCacheDir()))
            .fetch(options.getInput());
    return cached.toAbsolutePath().toString();
  }
}
