package dev.anomalystream.detect;

import static dev.anomalystream.core.options.OptionValues.blankToNull;
import static dev.anomalystream.core.options.OptionValues.nonBlank;

import dev.anomalystream.core.alert.Backoff;
import dev.anomalystream.core.alert.MailSettings;
import dev.anomalystream.core.beam.FlinkCheckpoints;
import dev.anomalystream.core.beam.FlinkSettings;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.embedding.EmbedTexts;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.failure.FailureHandler;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ModelRelease;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.online.LearningMode;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.MessageBus;
import dev.anomalystream.core.pubsub.PubsubPaths;
import java.io.IOException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming detector.
 *
 * <pre>
 * ReadMessages (Pub/Sub)  or  ReadKafkaMessages (--source=kafka)
 *   ─▶ DecodeMessages
 *   ─▶ DeduplicateByUid (Kafka only: Pub/Sub's read deduplicates by its id attribute)
 *   ─▶ EmbedMessages
 *   ─▶ ScoreMessages ◀── WatchModelVersion (side input)
 *   ─┬▶ StreamView (--windowMinutes > 0: sliding event-time windows: window scores, drift,
 *    │    topics) ─▶ WriteStreamView (BigQuery _windows/_topics/_window_scores | NDJSON)
 *    │                └─ adopted topics (--learn=topics) ─┐
 *    ├▶ LearnOnline (--learn, --score=hst: memory in state) ◀┘ ─▶ the final decision
 *    ├▶ WriteDetections (BigQuery | NDJSON)
 *    ├▶ AlertOnAnomalies (SMTP | outbox)
 *    └▶ PublishDetections (--detectionsTopic: JSON rows on the --source bus)
 * every stage's failures (read-kafka, decode, embed, score, learn, write, alert)
 *   ─▶ FailureHandler ─▶ WriteFailures (BigQuery error table | NDJSON)
 * </pre>
 */
public final class DetectPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(DetectPipeline.class);

  private DetectPipeline() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(DetectOptions.class);
    DetectOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(DetectOptions.class);
    // no waitUntilFinish (see Launches): the DirectRunner's run() serves until stopped, and a Flex
    // Template launch must return once Dataflow has the job
    PipelineResult result = run(options);
    LOG.info("detector job submitted, state {}", result.getState());
  }

  public static PipelineResult run(DetectOptions options) throws IOException {
    options.setStreaming(true);
    // EmbedTexts batches with GroupIntoBatches.withShardedKey(), which Dataflow accepts in a Java
    // streaming job only with Streaming Engine (DataflowRunner refuses the graph otherwise); the
    // option, not the experiment, because Dataflow's translator derives the experiments from it and
    // rejects the experiments alone when the option is false. Other runners ignore it.
    options.setEnableStreamingEngine(true);
    // on Flink: checkpoints that outlive the process, and a launch resumes from the newest one
    FlinkCheckpoints.configure(options, options.getOutputDirectory() + "/checkpoints");
    FlinkSettings.skipDefensiveCopies(options);
    // the model is read below, before Pipeline.create would register them: without this only local
    // paths resolve ("No filesystem found for scheme gs")
    FileSystems.setDefaultPipelineOptions(options);
    LaunchChecks.beforeLaunch(options);
    ModelLocation modelLocation = ModelLocation.of(options.getModel(), options.getModelName());
    String currentVersionKey = modelLocation.currentVersionKey();
    StoredModel currentModel = modelLocation.load(currentVersionKey);
    boolean embeddingRequested = blankToNull(options.getEmbeddingModel()) != null;
    // recorded in the options, so the job's parameters show the embedding actually served
    options.setEmbeddingModel(
        currentModel.metadata().embedding().specToServe(options.getEmbeddingModel()));
    LOG.info(
        "embedding model {} ({})",
        options.getEmbeddingModel(),
        embeddingRequested
            ? "from --embeddingModel"
            : "the one version " + currentModel.metadata().version() + " was trained with");
    EmbedderOptions embedderOptions =
        EmbedderOptions.of(options.getEmbeddingModel())
            .withIntraOpThreads(EmbeddingOptions.pipelineIntraOpThreads(options))
            .withDevice(EmbeddingOptions.device(options));
    AnomalyDetector.Overrides overrides = DecisionOptions.overrides(options);
    AnomalyDetector detector =
        loadServingDetector(
            currentModel, currentVersionKey, modelLocation, embedderOptions, overrides);

    boolean streamView = StreamViewOptions.enabled(options) && eventTimeWindowsFire(options);
    if (streamView) {
      StreamViewOptions.settings(options); // refuses bad window flags before launch
    }
    LearningOptions.resolveLearning(options, detector, streamView);
    boolean learning = LearningOptions.learningEnabled(options);
    if (learning) {
      LearningOptions.learnerSettings(options); // refuses bad learning flags before launch
      if (options.getLearn() == LearningMode.TOPICS && !streamView) {
        LOG.warn(
            "--learn=topics adopts topics the stream view finds, and the stream view is off here:"
                + " only messages judged normal are learned");
      }
    }
    Pipeline pipeline = Pipeline.create(options);
    Duration flush = Duration.standardSeconds(options.getFileFlushSeconds());
    String outputTable = blankToNull(options.getOutputTable());
    try (FailureHandler failures =
        FailureHandler.writingTo(
            "WriteFailures",
            outputTable != null
                ? WriteFailures.toBigQuery(
                    BigQueryTables.errorTableFor(outputTable, options.getErrorTable()))
                : WriteFailures.toFiles(options.getOutputDirectory(), flush))) {
      PCollectionTuple decoded =
          readMessages(pipeline, options, failures)
              .apply(
                  "DecodeMessages",
                  new DecodeMessages(
                      new MessageDecoder(options.getUidAttribute(), options.getMaxChars())
                          .withGroupAttribute(blankToNull(options.getGroupAttribute()))));
      failures.addErrorCollection(decoded.get(DecodeMessages.FAILURES));
      PCollection<InboundMessage> messages = decoded.get(DecodeMessages.MESSAGES);
      if (options.getSource() == MessageBus.KAFKA) {
        // Pub/Sub's read deduplicates by its id attribute; Kafka has none
        messages =
            messages.apply(
                "DeduplicateByUid",
                new DeduplicateByUid(Duration.standardMinutes(options.getDeduplicationMinutes())));
      }

      EmbedTexts<InboundMessage> embed =
          EmbedTexts.of(embedderOptions, InboundMessage::getText, InboundMessage::getUid)
              .withMaxBatchSize(options.getMaxBatchSize())
              .withMaxBuffering(Duration.millis(options.getMaxBatchWaitMillis()))
              .withShards(DetectOptions.batchShards(options))
              .inBatches();
      PCollectionTuple embedded = messages.apply("EmbedMessages", embed);
      failures.addErrorCollection(embedded.get(EmbedTexts.FAILURES));

      PCollectionView<String> modelVersion =
          pipeline.apply(
              "WatchModelVersion",
              new WatchModelVersion(
                  modelLocation, Duration.standardSeconds(options.getModelRefreshSeconds())));
      ScoreMessages score =
          new ScoreMessages(
              modelVersion,
              modelLocation,
              embedderOptions,
              overrides,
              options.getWriteEmbeddings() || streamView || learning);
      PCollectionTuple scored =
          embedded
              .get(embed.embeddedBatches())
              .apply("ScoreMessages", learning ? score.withKnnSimilarities() : score);
      failures.addErrorCollection(scored.get(ScoreMessages.FAILURES));
      PCollection<Detection> scoredDetections = scored.get(ScoreMessages.DETECTIONS);
      PCollectionTuple view = null;
      if (streamView) {
        view = scoredDetections.apply("StreamView", StreamView.of(options, modelLocation));
        failures.addErrorCollection(view.get(StreamView.FAILURES));
        failures.addErrorCollection(
            view.apply(
                "WriteStreamView",
                outputTable != null
                    ? WriteStreamView.toBigQuery(outputTable)
                    : WriteStreamView.toFiles(options.getOutputDirectory(), flush)));
      }
      PCollection<Detection> decided = scoredDetections;
      if (learning) {
        PCollectionTuple learned =
            scoredDetections.apply(
                "LearnOnline",
                LearnOnline.of(
                    options,
                    modelLocation,
                    embedderOptions,
                    overrides,
                    view == null ? null : view.get(StreamView.TOPICS)));
        failures.addErrorCollection(learned.get(LearnOnline.FAILURES));
        decided = learned.get(LearnOnline.DETECTIONS);
      }
      PCollection<Detection> detections =
          (streamView || learning) && !options.getWriteEmbeddings()
              ? decided.apply("DropEmbeddings", new DropEmbeddings())
              : decided;

      failures.addErrorCollection(
          detections.apply(
              "WriteDetections",
              outputTable != null
                  ? WriteDetections.toBigQuery(outputTable)
                  : WriteDetections.toFiles(options.getOutputDirectory(), flush)));
      AlertOnAnomalies alerting =
          new AlertOnAnomalies(
              AlertOnAnomalies.Settings.builder()
                  .setWindow(Duration.standardSeconds(options.getAlertWindowSeconds()))
                  .setMaxEmailsPerHour(options.getMaxEmailsPerHour())
                  .setMaxAnomaliesPerDigest(options.getMaxAnomaliesPerDigest())
                  .setMail(mailSettings(options))
                  .setRetries(
                      new Backoff(options.getSmtpAttempts(), java.time.Duration.ofSeconds(1), 2.0))
                  .build());
      failures.addErrorCollection(
          detections.apply(
              "AlertOnAnomalies",
              view == null ? alerting : alerting.withStreamAlerts(StreamView.alerts(view))));
      String detectionsTopic = blankToNull(options.getDetectionsTopic());
      if (detectionsTopic != null) {
        detections.apply(
            "PublishDetections",
            options.getSource() == MessageBus.KAFKA
                ? PublishDetections.toKafka(options.getBootstrapServers(), detectionsTopic)
                : PublishDetections.toPubsub(
                    PubsubPaths.topic(detectionsTopic, options.getProject())));
      }
    }
    return pipeline.run();
  }

  /**
   * Whether the stream view's event-time windows can close on this runner and source. The
   * DirectRunner never advances a Pub/Sub source's watermark (it never acknowledges), so there the
   * windows would only buffer every message's embedding until the process ends: the stream view is
   * left out, and the log says how to get it.
   */
  static boolean eventTimeWindowsFire(DetectOptions options) {
    boolean directRunner = "DirectRunner".equals(options.getRunner().getSimpleName());
    if (directRunner && options.getSource() == MessageBus.PUBSUB) {
      LOG.warn(
          "the stream view (windows, drift, topics) is off: the DirectRunner never closes"
              + " event-time windows over Pub/Sub. Use --source=kafka or the FlinkRunner to see it"
              + " locally; --windowMinutes=0 silences this warning");
      return false;
    }
    return true;
  }

  /** The messages of {@code --source}, in the envelope DecodeMessages takes. */
  private static PCollection<PubsubMessage> readMessages(
      Pipeline pipeline, DetectOptions options, FailureHandler failures) {
    if (options.getSource() == MessageBus.KAFKA) {
      PCollectionTuple read =
          pipeline.apply(
              "ReadKafkaMessages",
              new ReadKafkaMessages(
                  options.getBootstrapServers(),
                  options.getInputTopic(),
                  options.getConsumerGroup(),
                  options.getUidAttribute(),
                  blankToNull(options.getGroupAttribute())));
      failures.addErrorCollection(read.get(ReadKafkaMessages.FAILURES));
      return read.get(ReadKafkaMessages.MESSAGES);
    }
    String subscription = blankToNull(options.getSubscription());
    String topic = blankToNull(options.getTopic());
    return pipeline.apply(
        "ReadMessages",
        ReadMessages.from(
            subscription == null
                ? null
                : PubsubPaths.subscription(subscription, options.getProject()),
            topic == null ? null : PubsubPaths.topic(topic, options.getProject()),
            options.getUidAttribute()));
  }

  /**
   * Fails fast, before the job starts, when the model cannot serve: missing or corrupt (loading it
   * threw already, group models included), or trained, it or one of its group models, on another
   * embedding than the one configured.
   *
   * <p>The release is then this JVM's loaded model: where the runner's workers share the launching
   * JVM, their first messages do not wait for it to be read again.
   *
   * @return the release's global detector, which the launch's other checks read
   */
  private static AnomalyDetector loadServingDetector(
      StoredModel model,
      String versionKey,
      ModelLocation location,
      EmbedderOptions embedderOptions,
      AnomalyDetector.Overrides overrides)
      throws IOException {
    SentenceEmbedder embedder = SharedEmbedders.get(embedderOptions);
    // the whole release: a group model on another embedding stops the launch as the global would
    ModelRelease release =
        ModelRelease.load(model, embedder.modelId(), embedder.dimension(), overrides);
    LoadedDetectors.add(versionKey, location, embedder.modelId(), overrides, release);
    return release.global();
  }

  static MailSettings mailSettings(DetectOptions options) {
    return MailSettings.builder()
        .setSmtpHost(blankToNull(options.getSmtpHost()))
        .setSmtpPort(options.getSmtpPort())
        .setTls(options.getSmtpTls())
        .setUser(blankToNull(options.getSmtpUser()))
        .setPasswordEnvironmentVariable(blankToNull(options.getSmtpPasswordEnv()))
        .setPasswordFile(blankToNull(options.getSmtpPasswordFile()))
        .setPasswordSecret(blankToNull(options.getSmtpPasswordSecret()))
        .setFrom(options.getAlertFrom())
        .setTo(nonBlank(options.getAlertTo()))
        .setOutboxDirectory(options.getOutboxDirectory())
        .build();
  }
}
