package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.embedding.EmbedTexts;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ModelRelease;
import dev.anomalystream.core.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Scores embedded messages, a batch at a time ({@link EmbedTexts#inBatches()}: one scan of the
 * model's reference serves the whole batch), with the model version the side input names: HDBSCAN
 * approximate predict (cluster, probability, GLOSH), the k-NN distance, and the decision. A message
 * with a group is scored by its group's model when the release has one, else by the global model
 * (each row says which: {@code model_scope}); every row records the release's version. Models are
 * loaded once per JVM per version ({@link LoadedDetectors}); while a new version cannot be loaded
 * the previous one keeps serving, and with no usable model at all a message becomes a failure
 * (stage {@value #STAGE}) rather than being dropped.
 */
public final class ScoreMessages
    extends PTransform<PCollection<List<KV<InboundMessage, float[]>>>, PCollectionTuple> {
  public static final String STAGE = "score";
  public static final TupleTag<Detection> DETECTIONS = new TupleTag<>("detections") {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("score-failures") {};

  private final PCollectionView<String> modelVersion;
  private final ModelLocation location;
  private final EmbedderOptions embedderOptions;
  private final AnomalyDetector.Overrides overrides;
  private final boolean keepEmbeddings;
  private final boolean keepKnnSimilarities;

  public ScoreMessages(
      PCollectionView<String> modelVersion,
      ModelLocation location,
      EmbedderOptions embedderOptions,
      AnomalyDetector.Overrides overrides,
      boolean keepEmbeddings) {
    this(modelVersion, location, embedderOptions, overrides, keepEmbeddings, false);
  }

  private ScoreMessages(
      PCollectionView<String> modelVersion,
      ModelLocation location,
      EmbedderOptions embedderOptions,
      AnomalyDetector.Overrides overrides,
      boolean keepEmbeddings,
      boolean keepKnnSimilarities) {
    this.modelVersion = modelVersion;
    this.location = location;
    this.embedderOptions = embedderOptions;
    this.overrides = overrides;
    this.keepEmbeddings = keepEmbeddings;
    this.keepKnnSimilarities = keepKnnSimilarities;
  }

  /** Detections that also carry their k nearest reference similarities, for online learning. */
  public ScoreMessages withKnnSimilarities() {
    return new ScoreMessages(
        modelVersion, location, embedderOptions, overrides, keepEmbeddings, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<List<KV<InboundMessage, float[]>>> embedded) {
    PCollectionTuple scored =
        embedded.apply(
            "Score",
            ParDo.of(new ScoreFn(this))
                .withSideInputs(modelVersion)
                .withOutputTags(DETECTIONS, TupleTagList.of(FAILURES)));
    // set, not inferred: tagged outputs get the plain registry's SerializableCoder (see
    // DecodeMessages)
    scored.get(DETECTIONS).setCoder(SchemaCoders.of(Detection.class));
    scored.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return scored;
  }

  private static final class ScoreFn extends DoFn<List<KV<InboundMessage, float[]>>, Detection> {
    private final Counter anomalies = Metrics.counter(ScoreMessages.class, "anomalies");
    private final Counter scoredCount = Metrics.counter(ScoreMessages.class, "messages_scored");
    private final Counter byGroupModel =
        Metrics.counter(ScoreMessages.class, "messages_scored_by_group_model");
    private final Distribution latency =
        Metrics.distribution(ScoreMessages.class, "end_to_end_latency_ms");
    private final PCollectionView<String> modelVersion;
    private final ModelLocation location;
    private final EmbedderOptions embedderOptions;
    private final AnomalyDetector.Overrides overrides;
    private final boolean keepEmbeddings;
    private final boolean keepKnnSimilarities;
    private transient SentenceEmbedder embedder;

    ScoreFn(ScoreMessages spec) {
      this.modelVersion = spec.modelVersion;
      this.location = spec.location;
      this.embedderOptions = spec.embedderOptions;
      this.overrides = spec.overrides;
      this.keepEmbeddings = spec.keepEmbeddings;
      this.keepKnnSimilarities = spec.keepKnnSimilarities;
    }

    @Setup
    public void setUp() {
      // the model must match the embedding this JVM computes: its id and dimension
      embedder = SharedEmbedders.get(embedderOptions);
    }

    @ProcessElement
    public void process(
        @Element List<KV<InboundMessage, float[]>> batch,
        ProcessContext context,
        MultiOutputReceiver out) {
      LoadedDetectors.Selection selection =
          LoadedDetectors.forVersion(
              context.sideInput(modelVersion),
              location,
              embedder.modelId(),
              embedder.dimension(),
              overrides);
      if (selection.release() == null) {
        for (KV<InboundMessage, float[]> element : batch) {
          out.get(FAILURES).output(noModel(element.getKey(), selection));
        }
        return;
      }
      ModelRelease.Routed[] routes = new ModelRelease.Routed[batch.size()];
      Verdict[] verdicts = new Verdict[batch.size()];
      // one score call per model the batch's messages route to (the global one but for groups)
      Map<AnomalyDetector, List<Integer>> byDetector = new IdentityHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        routes[i] = selection.release().route(batch.get(i).getKey().getGroup());
        byDetector.computeIfAbsent(routes[i].detector(), d -> new ArrayList<>()).add(i);
      }
      byDetector.forEach(
          (detector, indices) -> {
            float[][] vectors = new float[indices.size()][];
            for (int j = 0; j < vectors.length; j++) {
              vectors[j] = batch.get(indices.get(j)).getValue();
            }
            Verdict[] scored = detector.score(vectors);
            for (int j = 0; j < scored.length; j++) {
              verdicts[indices.get(j)] = scored[j];
            }
          });
      for (int i = 0; i < batch.size(); i++) {
        out.get(DETECTIONS)
            .output(detection(batch.get(i), routes[i], verdicts[i], selection.release()));
      }
    }

    private Detection detection(
        KV<InboundMessage, float[]> element,
        ModelRelease.Routed routed,
        Verdict verdict,
        ModelRelease release) {
      AnomalyDetector detector = routed.detector();
      Detection detection =
          Detection.builder()
              .setMessage(element.getKey())
              .setCluster(verdict.clusterLabel())
              .setProbability(verdict.membershipProbability())
              .setOutlierScore(verdict.gloshScore())
              .setKnnScore(verdict.knnScore())
              .setMapX(finiteOrNull(verdict.mapX()))
              .setMapY(finiteOrNull(verdict.mapY()))
              .setAnomaly(verdict.anomalous())
              .setDecision(detector.describeDecision())
              .setThreshold(detector.rule() == DecisionRule.CLUSTER ? null : detector.threshold())
              // the release's version: a group model kept from an earlier release has its own
              .setModelVersion(release.version())
              .setModelScope(routed.scope())
              .setEmbeddingModel(embedder.modelId())
              .setProcessedTime(Instant.now())
              .setEmbedding(keepEmbeddings ? element.getValue() : null)
              .setKnnSimilarities(keepKnnSimilarities ? verdict.knnSimilarities() : null)
              .build();
      scoredCount.inc();
      if (detection.isAnomaly()) {
        anomalies.inc();
      }
      if (routed.scope().equals(ModelRelease.GROUP_SCOPE)) {
        byGroupModel.inc();
      }
      latency.update(detection.latencyMillis());
      return detection;
    }

    private static Failure noModel(InboundMessage message, LoadedDetectors.Selection selection) {
      Failure.Builder failure =
          Failure.builder()
              .setStage(STAGE)
              .setReason("no usable model: " + selection.problem())
              .setPayload(message.getText().getBytes(StandardCharsets.UTF_8))
              .setAttributes(Map.of("uid", message.getUid()))
              .setTime(Instant.now());
      return selection.cause() == null
          ? failure.build()
          : failure.setException(selection.cause()).build();
    }
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
