package dev.anomalystream.detect;

import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.beam.StreamingJsonFiles;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.detection.MessageDecoder;
import dev.anomalystream.core.embedding.EmbedTexts;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.failure.FailureHandler;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.stream.WindowScore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * scripts/evaluate-stream: the detector's decoding, embedding, scoring and stream view over a file
 * of messages with event times, bounded, to judge windows, drift and topics on a made-up stream
 * (docs/QUALITY.md). The transforms are the streaming detector's; only the source (a file) and the
 * sinks (NDJSON under --output) differ, and each row is joined with its window score. Prints one
 * JSON object last: messages, windows, drift_windows, topics, malformed_lines.
 */
public final class EvaluateStream {
  private static final TupleTag<Detection> DETECTIONS = new TupleTag<>() {};
  private static final TupleTag<WindowScore> SCORES = new TupleTag<>() {};

  private EvaluateStream() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(EvaluateStreamOptions.class);
    EvaluateStreamOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(EvaluateStreamOptions.class);
    PipelineResult result = run(options);
    result.waitUntilFinish();
    System.out.println(Json.MAPPER.writeValueAsString(summary(result)));
  }

  public static PipelineResult run(EvaluateStreamOptions options) throws IOException {
    if (!StreamViewOptions.enabled(options)) {
      throw new IllegalArgumentException("--windowMinutes must be positive: windows are the point");
    }
    FileSystems.setDefaultPipelineOptions(options);
    ModelLocation modelLocation = ModelLocation.of(options.getModel(), options.getModelName());
    String versionKey = modelLocation.currentVersionKey();
    StoredModel model = modelLocation.load(versionKey);
    options.setEmbeddingModel(
        model.metadata().embedding().specToServe(options.getEmbeddingModel()));
    EmbedderOptions embedderOptions =
        EmbedderOptions.of(options.getEmbeddingModel())
            .withIntraOpThreads(EmbeddingOptions.pipelineIntraOpThreads(options))
            .withDevice(EmbeddingOptions.device(options));
    AnomalyDetector.Overrides overrides = DecisionOptions.overrides(options);
    SentenceEmbedder embedder = SharedEmbedders.get(embedderOptions);
    LearningOptions.resolveLearning(
        options,
        AnomalyDetector.load(model, embedder.modelId(), embedder.dimension(), overrides),
        true);
    String output = options.getOutput();
    // a bounded run writes each file once at its end: the interval only caps a batch's wait
    Duration flush = Duration.standardSeconds(10);

    Pipeline pipeline = Pipeline.create(options);
    try (FailureHandler failures =
        FailureHandler.writingTo("WriteFailures", WriteFailures.toFiles(output, flush))) {
      PCollectionTuple lines =
          pipeline
              .apply("ReadStreamFile", TextIO.read().from(options.getStream()))
              .apply("ParseLines", new StreamFileMessages(MessageDecoder.DEFAULT_UID_ATTRIBUTE));
      failures.addErrorCollection(lines.get(StreamFileMessages.FAILURES));
      PCollectionTuple decoded =
          lines
              .get(StreamFileMessages.MESSAGES)
              .apply(
                  "DecodeMessages",
                  new DecodeMessages(
                      new MessageDecoder(
                          MessageDecoder.DEFAULT_UID_ATTRIBUTE, options.getMaxChars())));
      failures.addErrorCollection(decoded.get(DecodeMessages.FAILURES));
      EmbedTexts<InboundMessage> embed =
          EmbedTexts.of(embedderOptions, InboundMessage::getText, InboundMessage::getUid)
              .inBatches();
      PCollectionTuple embedded =
          decoded.get(DecodeMessages.MESSAGES).apply("EmbedMessages", embed);
      failures.addErrorCollection(embedded.get(EmbedTexts.FAILURES));
      PCollectionView<String> version =
          pipeline
              .apply("ModelVersion", Create.of(versionKey).withCoder(StringUtf8Coder.of()))
              .apply("AsSideInput", View.asSingleton());
      boolean learning = LearningOptions.learningEnabled(options);
      ScoreMessages score =
          new ScoreMessages(version, modelLocation, embedderOptions, overrides, true);
      PCollectionTuple scored =
          embedded
              .get(embed.embeddedBatches())
              .apply("ScoreMessages", learning ? score.withKnnSimilarities() : score);
      failures.addErrorCollection(scored.get(ScoreMessages.FAILURES));
      PCollection<Detection> scoredDetections = scored.get(ScoreMessages.DETECTIONS);

      PCollectionTuple view =
          scoredDetections.apply("StreamView", StreamView.of(options, modelLocation));
      failures.addErrorCollection(view.get(StreamView.FAILURES));
      failures.addErrorCollection(
          view.apply("WriteStreamView", WriteStreamView.toFiles(output, flush)));
      PCollection<Detection> detections = scoredDetections;
      if (learning) {
        // in event-time order, as the detector meets a stream (a file's order means nothing here)
        PCollectionTuple learned =
            scoredDetections.apply(
                "LearnOnline",
                LearnOnline.of(
                        options,
                        modelLocation,
                        embedderOptions,
                        overrides,
                        view.get(StreamView.TOPICS))
                    .inTimeOrder());
        failures.addErrorCollection(learned.get(LearnOnline.FAILURES));
        detections = learned.get(LearnOnline.DETECTIONS);
      }

      PCollection<KV<String, Detection>> byUid =
          detections
              .apply("DropEmbeddings", new DropEmbeddings())
              .apply(
                  "DetectionByUid",
                  WithKeys.<String, Detection>of(d -> d.getMessage().getUid())
                      .withKeyType(TypeDescriptors.strings()));
      PCollection<KV<String, WindowScore>> scoreByUid =
          view.get(StreamView.WINDOW_SCORES)
              .apply(
                  "ScoreByUid",
                  WithKeys.<String, WindowScore>of(WindowScore::uid)
                      .withKeyType(TypeDescriptors.strings()));
      KeyedPCollectionTuple.of(DETECTIONS, byUid)
          .and(SCORES, scoreByUid)
          .apply("JoinWindowScores", CoGroupByKey.create())
          .apply("RowWithWindowScore", ParDo.of(new RowWithWindowScoreFn()))
          .apply("WriteRows", StreamingJsonFiles.to(output + "/rows/rows", flush));
    }
    return pipeline.run();
  }

  /** Each message's detection row with the score of the window centred on it. */
  private static final class RowWithWindowScoreFn extends DoFn<KV<String, CoGbkResult>, String> {
    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> joined, OutputReceiver<String> out) {
      // one per message: a window scores only the messages it is centred on; should a window fire
      // again (late data, not in a bounded run) its later pane's score is as good as the first
      WindowScore score = null;
      for (WindowScore each : joined.getValue().getAll(SCORES)) {
        score = each;
      }
      for (Detection detection : joined.getValue().getAll(DETECTIONS)) {
        Map<String, Object> row = new LinkedHashMap<>(DetectionRow.toRow(detection));
        if (score != null) {
          row.put(WindowScore.WINDOW_SCORE, score.score());
        }
        out.output(WriteRows.toJson(row));
      }
    }
  }

  /** The counts the last line prints. */
  static Map<String, Long> summary(PipelineResult result) {
    Map<String, Long> summary = new LinkedHashMap<>();
    summary.put("messages", MetricCounts.attempted(result, ScoreMessages.class, "messages_scored"));
    summary.put("windows", MetricCounts.attempted(result, StreamView.class, "windows_analysed"));
    summary.put("drift_windows", MetricCounts.attempted(result, StreamView.class, "drift_windows"));
    summary.put("topics", MetricCounts.attempted(result, StreamView.class, "topics_new"));
    summary.put(
        "malformed_lines",
        MetricCounts.attempted(result, StreamFileMessages.class, "malformed_lines"));
    summary.put(
        "topics_adopted", MetricCounts.attempted(result, StreamView.class, "topics_adopted"));
    summary.put(
        "learned_on_sight", MetricCounts.attempted(result, LearnOnline.class, "learned_on_sight"));
    summary.put(
        "learned_from_topics",
        MetricCounts.attempted(result, LearnOnline.class, "learned_from_topics"));
    summary.put(
        "memory_peak_entries", MetricCounts.maximum(result, LearnOnline.class, "memory_entries"));
    summary.put(
        "memory_peak_bytes", MetricCounts.maximum(result, LearnOnline.class, "memory_bytes"));
    return summary;
  }
}
