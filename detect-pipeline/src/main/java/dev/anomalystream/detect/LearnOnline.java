package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.online.HalfSpaceTrees;
import dev.anomalystream.core.online.HstModel;
import dev.anomalystream.core.online.MemoryEntry;
import dev.anomalystream.core.online.OnlineLearner;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowContents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Online learning: each scored message is scored again with what the detector learned since its
 * model version took over ({@link OnlineLearner}: the kNN score over the trained reference and a
 * bounded memory, or Half-Space Trees with {@code --score=hst}), decided, and learned or not; the
 * members of topics the stream view adopted are learned as they are reported. Rows say whether each
 * message was learned.
 *
 * <pre>
 * scored detections (embeddings, k nearest reference similarities) ─┐
 * adopted topic events (stream view, --learn=topics) ────────────────┴▶ one key ─▶ Learn (state)
 *   ─▶ DETECTIONS (final decision, learned) | FAILURES (stage 'learn')
 * </pre>
 *
 * <p>The learned state lives in Beam state under one key, so Flink and Dataflow checkpoints keep it
 * across restarts and updates: the learned entries and the anomalies waiting for a topic as bags
 * (appended per message, compacted now and then), the budget and the version as values. A DoFn
 * instance keeps the learner it rebuilt from them while a generation number in state says nothing
 * else wrote since. One key means one worker scores all messages' memory lookups: about a
 * millisecond a message at the default 5,000 entries, well under the embedding's cost.
 *
 * <p>The streaming detector feeds messages in arrival order. The batch tool replays a file in event
 * time order ({@link #inTimeOrder}: held in state to the end of the bounded input, then sorted), so
 * a replay learns as the detector would have.
 */
public final class LearnOnline extends PTransform<PCollection<Detection>, PCollectionTuple> {
  public static final String STAGE = "learn";
  public static final TupleTag<Detection> DETECTIONS = new TupleTag<>("learned-detections") {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("learn-failures") {};

  private static final int MESSAGE = 0;
  private static final int ADOPTION = 1;
  private static final String KEY = "memory";

  private final OnlineLearner.Settings settings;
  private final boolean hst;
  private final ModelLocation location;
  private final EmbedderOptions embedderOptions;
  private final AnomalyDetector.Overrides overrides;
  private final PCollection<TopicEvent> topics;
  private final boolean timeSorted;

  private LearnOnline(
      OnlineLearner.Settings settings,
      boolean hst,
      ModelLocation location,
      EmbedderOptions embedderOptions,
      AnomalyDetector.Overrides overrides,
      PCollection<TopicEvent> topics,
      boolean timeSorted) {
    this.settings = settings;
    this.hst = hst;
    this.location = location;
    this.embedderOptions = embedderOptions;
    this.overrides = overrides;
    this.topics = topics;
    this.timeSorted = timeSorted;
  }

  /**
   * Online learning as {@code options} say ({@link LearningOptions}), over the detections of the
   * versions {@code location} holds, scored with {@code overrides}.
   *
   * @param topics the stream view's topic events, or null without a stream view
   */
  public static LearnOnline of(
      LearningOptions options,
      ModelLocation location,
      EmbedderOptions embedderOptions,
      AnomalyDetector.Overrides overrides,
      PCollection<TopicEvent> topics) {
    return new LearnOnline(
        LearningOptions.learnerSettings(options),
        options.getScore() == ScoreKind.HST,
        location,
        embedderOptions,
        overrides,
        topics,
        false);
  }

  /** The same, fed in event-time order: for bounded inputs, where arrival order means nothing. */
  public LearnOnline inTimeOrder() {
    return new LearnOnline(settings, hst, location, embedderOptions, overrides, topics, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<Detection> detections) {
    Coder<RawUnionValue> unionCoder =
        UnionCoder.of(
            List.of(SchemaCoders.of(Detection.class), SerializableCoder.of(TopicEvent.class)));
    KvCoder<String, RawUnionValue> inputCoder = KvCoder.of(StringUtf8Coder.of(), unionCoder);
    PCollection<Detection> messages =
        timeSorted
            ? detections
                .apply("OwnTime", ParDo.of(new OwnTimeFn()))
                .setCoder(SchemaCoders.of(Detection.class))
            : detections;
    PCollectionList<KV<String, RawUnionValue>> inputs =
        PCollectionList.of(
            messages
                .apply(
                    "Messages",
                    MapElements.into(
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptor.of(RawUnionValue.class)))
                        .via((Detection d) -> KV.of(KEY, new RawUnionValue(MESSAGE, d))))
                .setCoder(inputCoder));
    if (topics != null) {
      inputs =
          inputs.and(
              topics
                  .apply("AdoptedTopics", Filter.by(TopicEvent::adopted))
                  .apply(
                      "Adoptions",
                      MapElements.into(
                              TypeDescriptors.kvs(
                                  TypeDescriptors.strings(),
                                  TypeDescriptor.of(RawUnionValue.class)))
                          .via((TopicEvent t) -> KV.of(KEY, new RawUnionValue(ADOPTION, t))))
                  .setCoder(inputCoder));
    }
    LearnFn fn =
        new LearnFn(settings, hst, location, embedderOptions, overrides, unionCoder, timeSorted);
    PCollectionTuple learned =
        inputs
            .apply("Together", Flatten.pCollections())
            .setCoder(inputCoder)
            .apply("Learn", ParDo.of(fn).withOutputTags(DETECTIONS, TupleTagList.of(FAILURES)));
    learned.get(DETECTIONS).setCoder(SchemaCoders.of(Detection.class));
    learned.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return learned;
  }

  /**
   * Stamps each message with its own time (event_time, else the source's stamp): batching gave a
   * whole batch one timestamp, and the time-sorted replay orders by timestamps. Bounded inputs
   * only, where moving an element back in time holds no watermark.
   */
  private static final class OwnTimeFn extends DoFn<Detection, Detection> {
    @ProcessElement
    public void process(@Element Detection detection, OutputReceiver<Detection> out) {
      out.outputWithTimestamp(
          detection,
          new org.joda.time.Instant(
              WindowContents.eventTime(detection.getMessage()).toEpochMilli()));
    }

    @Override
    @SuppressWarnings("deprecation") // the supported way to move elements back in time
    public org.joda.time.Duration getAllowedTimestampSkew() {
      return org.joda.time.Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Half-Space Trees per version, fitted once per JVM: deterministic, rebuilt from the version. */
  private static final ConcurrentHashMap<String, HstModel> HST_MODELS = new ConcurrentHashMap<>();

  /**
   * The stage's DoFn. In arrival order (the detector) each element is learned as it comes; in time
   * order (a bounded replay) elements wait in state until the input ends, then go through sorted by
   * timestamp. Beam's {@code @RequiresTimeSortedInput} would do the latter, but it belongs on the
   * {@code @ProcessElement} method, and Beam allows state only in the class that declares it, so
   * one class cannot have it both ways.
   */
  static final class LearnFn extends DoFn<KV<String, RawUnionValue>, Detection> {
    private final Counter learnedOnSight = Metrics.counter(LearnOnline.class, "learned_on_sight");
    private final Counter learnedFromTopics =
        Metrics.counter(LearnOnline.class, "learned_from_topics");
    private final Counter resets = Metrics.counter(LearnOnline.class, "memory_resets");
    private final Counter compactions = Metrics.counter(LearnOnline.class, "state_compactions");
    // distributions, not gauges: their maximum is the peak the state reached
    private final Distribution memoryEntries =
        Metrics.distribution(LearnOnline.class, "memory_entries");
    private final Distribution memoryBytes =
        Metrics.distribution(LearnOnline.class, "memory_bytes");

    @StateId("version")
    private final StateSpec<ValueState<String>> versionSpec =
        StateSpecs.value(StringUtf8Coder.of());

    @StateId("generation")
    private final StateSpec<ValueState<Long>> generationSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("learned")
    private final StateSpec<BagState<MemoryEntry>> learnedSpec =
        StateSpecs.bag(SerializableCoder.of(MemoryEntry.class));

    @StateId("learnedAppended")
    private final StateSpec<ValueState<Integer>> learnedAppendedSpec =
        StateSpecs.value(VarIntCoder.of());

    @StateId("hstReference")
    private final StateSpec<BagState<MemoryEntry>> hstReferenceSpec =
        StateSpecs.bag(SerializableCoder.of(MemoryEntry.class));

    @StateId("pending")
    private final StateSpec<BagState<MemoryEntry>> pendingSpec =
        StateSpecs.bag(SerializableCoder.of(MemoryEntry.class));

    @StateId("pendingAppended")
    private final StateSpec<ValueState<Integer>> pendingAppendedSpec =
        StateSpecs.value(VarIntCoder.of());

    @SuppressWarnings("unchecked")
    @StateId("budget")
    private final StateSpec<ValueState<TreeMap<Long, Integer>>> budgetSpec =
        StateSpecs.value(
            SerializableCoder.of((Class<TreeMap<Long, Integer>>) (Class<?>) TreeMap.class));

    @TimerId("expiry")
    private final TimerSpec expirySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /** Time order only: everything received, until the end of the input. */
    @StateId("waiting")
    private final StateSpec<BagState<TimestampedValue<RawUnionValue>>> waitingSpec;

    @TimerId("replay")
    private final TimerSpec replaySpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final OnlineLearner.Settings settings;
    private final boolean hst;
    private final ModelLocation location;
    private final EmbedderOptions embedderOptions;
    private final AnomalyDetector.Overrides overrides;
    private final boolean timeSorted;
    private transient SentenceEmbedder embedder;
    private transient OnlineLearner learner;
    private transient long learnerGeneration;

    LearnFn(
        OnlineLearner.Settings settings,
        boolean hst,
        ModelLocation location,
        EmbedderOptions embedderOptions,
        AnomalyDetector.Overrides overrides,
        Coder<RawUnionValue> unionCoder,
        boolean timeSorted) {
      this.waitingSpec = StateSpecs.bag(TimestampedValue.TimestampedValueCoder.of(unionCoder));
      this.timeSorted = timeSorted;
      this.settings = settings;
      this.hst = hst;
      this.location = location;
      this.embedderOptions = embedderOptions;
      this.overrides = overrides;
    }

    @Setup
    public void setUp() {
      embedder = SharedEmbedders.get(embedderOptions);
    }

    @ProcessElement
    public void process(
        @Element KV<String, RawUnionValue> element,
        @Timestamp org.joda.time.Instant timestamp,
        @StateId("version") ValueState<String> version,
        @StateId("generation") ValueState<Long> generation,
        @StateId("learned") BagState<MemoryEntry> learned,
        @StateId("learnedAppended") ValueState<Integer> learnedAppended,
        @StateId("hstReference") BagState<MemoryEntry> hstReference,
        @StateId("pending") BagState<MemoryEntry> pending,
        @StateId("pendingAppended") ValueState<Integer> pendingAppended,
        @StateId("budget") ValueState<TreeMap<Long, Integer>> budget,
        @StateId("waiting") BagState<TimestampedValue<RawUnionValue>> waiting,
        @TimerId("expiry") Timer expiry,
        @TimerId("replay") Timer replay,
        MultiOutputReceiver out) {
      if (timeSorted) {
        waiting.add(TimestampedValue.of(element.getValue(), timestamp));
        replay.set(GlobalWindow.INSTANCE.maxTimestamp());
        return;
      }
      State state =
          new State(
              version,
              generation,
              learned,
              learnedAppended,
              hstReference,
              pending,
              pendingAppended,
              budget);
      learn(element.getValue(), timestamp, state, out);
      // when nothing arrives for the memory's age, the timer drops what aged out of the state
      expiry.set(timestamp.plus(org.joda.time.Duration.millis(settings.memoryAge().toMillis())));
    }

    /** The end of a bounded input: everything received, in timestamp order. */
    @OnTimer("replay")
    public void onReplay(
        @StateId("version") ValueState<String> version,
        @StateId("generation") ValueState<Long> generation,
        @StateId("learned") BagState<MemoryEntry> learned,
        @StateId("learnedAppended") ValueState<Integer> learnedAppended,
        @StateId("hstReference") BagState<MemoryEntry> hstReference,
        @StateId("pending") BagState<MemoryEntry> pending,
        @StateId("pendingAppended") ValueState<Integer> pendingAppended,
        @StateId("budget") ValueState<TreeMap<Long, Integer>> budget,
        @StateId("waiting") BagState<TimestampedValue<RawUnionValue>> waiting,
        MultiOutputReceiver out) {
      State state =
          new State(
              version,
              generation,
              learned,
              learnedAppended,
              hstReference,
              pending,
              pendingAppended,
              budget);
      List<TimestampedValue<RawUnionValue>> all = new ArrayList<>();
      waiting.read().forEach(all::add);
      // stable: at one instant the file's order stands (a window's adoption comes after its
      // messages, stamped at the window's last millisecond)
      all.sort(java.util.Comparator.comparing(TimestampedValue::getTimestamp));
      for (TimestampedValue<RawUnionValue> item : all) {
        learn(item.getValue(), item.getTimestamp(), state, out);
      }
      waiting.clear();
    }

    /** One element: a message to score and learn, or an adopted topic to learn. */
    private void learn(
        RawUnionValue value,
        org.joda.time.Instant timestamp,
        State state,
        MultiOutputReceiver out) {
      if (value.getUnionTag() == ADOPTION) {
        TopicEvent topic = (TopicEvent) value.getValue();
        OnlineLearner current = learner(state);
        if (current != null) {
          learnedFromTopics.inc(
              current.adopt(
                  topic.modelVersion(),
                  topic.topicId(),
                  topic.uids(),
                  topic.lastWindowEnd().toEpochMilli()));
          persist(current, state);
        }
        return;
      }
      Detection detection = (Detection) value.getValue();
      OnlineLearner.Scoring scoring = scoring(detection.getModelVersion());
      String problem = scoring == null ? null : problem(detection, scoring);
      if (scoring == null || problem != null) {
        out.get(FAILURES).output(failure(detection, problem == null ? "no usable model" : problem));
        return;
      }
      OnlineLearner current = learner(state);
      if (current == null) {
        current = new OnlineLearner(settings);
        learner = current;
      }
      long time = WindowContents.eventTime(detection.getMessage()).toEpochMilli();
      OnlineLearner.Outcome outcome =
          current.observe(
              scoring,
              detection.getMessage().getUid(),
              detection.getEmbedding(),
              time,
              detection.getKnnSimilarities(),
              detection.isAnomaly());
      if (outcome.learned()) {
        learnedOnSight.inc();
      }
      persist(current, state);
      out.get(DETECTIONS).output(decided(detection, scoring, outcome));
    }

    @OnTimer("expiry")
    public void onExpiry(
        OnTimerContext context,
        @StateId("version") ValueState<String> version,
        @StateId("generation") ValueState<Long> generation,
        @StateId("learned") BagState<MemoryEntry> learned,
        @StateId("learnedAppended") ValueState<Integer> learnedAppended,
        @StateId("hstReference") BagState<MemoryEntry> hstReference,
        @StateId("pending") BagState<MemoryEntry> pending,
        @StateId("pendingAppended") ValueState<Integer> pendingAppended,
        @StateId("budget") ValueState<TreeMap<Long, Integer>> budget) {
      State state =
          new State(
              version,
              generation,
              learned,
              learnedAppended,
              hstReference,
              pending,
              pendingAppended,
              budget);
      OnlineLearner current = learner(state);
      if (current != null && current.expire(context.timestamp().getMillis())) {
        compact(current, state);
        bump(state);
      }
    }

    /** The learner the state holds, rebuilt when another instance wrote since; null for none. */
    private OnlineLearner learner(State state) {
      Long written = state.generation.read();
      long generation = written == null ? 0 : written;
      if (learner != null && learnerGeneration == generation) {
        return learner;
      }
      String version = state.version.read();
      if (version == null) {
        learner = null;
        learnerGeneration = generation;
        return null;
      }
      OnlineLearner.Scoring scoring = scoring(version);
      if (scoring == null) {
        return null;
      }
      OnlineLearner rebuilt = new OnlineLearner(settings);
      rebuilt.restore(
          scoring,
          list(state.learned.read()),
          list(state.hstReference.read()),
          list(state.pending.read()),
          state.budget.read() == null ? Map.of() : state.budget.read());
      learner = rebuilt;
      learnerGeneration = generation;
      return rebuilt;
    }

    /** Writes what the learner changed, compacting the bags when they hold much that left. */
    private void persist(OnlineLearner current, State state) {
      OnlineLearner.Changes changes = current.drainChanges();
      if (!changes.any()) {
        return;
      }
      if (changes.reset()) {
        resets.inc();
        state.learned.clear();
        state.hstReference.clear();
        state.pending.clear();
        state.learnedAppended.clear();
        state.pendingAppended.clear();
        state.budget.clear();
        state.version.write(current.version());
      }
      if (changes.windowTurned()) {
        state.hstReference.clear();
        current.hstReference().forEach(state.hstReference::add);
        state.learned.clear();
        current.memoryEntries().forEach(state.learned::add);
        state.learnedAppended.write(0);
      } else if (!changes.learned().isEmpty()) {
        changes.learned().forEach(state.learned::add);
        int appended = orZero(state.learnedAppended.read()) + changes.learned().size();
        if (appended > settings.memorySize() / 2) {
          compactLearned(current, state);
        } else {
          state.learnedAppended.write(appended);
        }
      }
      if (!changes.learned().isEmpty()) {
        state.budget.write(new TreeMap<>(current.budgetCounts()));
      }
      if (changes.pendingRewritten()) {
        compactPending(current, state);
      } else if (!changes.pendingAdded().isEmpty()) {
        changes.pendingAdded().forEach(state.pending::add);
        int appended = orZero(state.pendingAppended.read()) + changes.pendingAdded().size();
        if (appended > Math.max(1, settings.pendingSize() / 2)) {
          compactPending(current, state);
        } else {
          state.pendingAppended.write(appended);
        }
      }
      bump(state);
      memoryEntries.update(current.size());
      memoryBytes.update(current.approximateBytes());
    }

    private void compact(OnlineLearner current, State state) {
      compactLearned(current, state);
      compactPending(current, state);
    }

    private void compactLearned(OnlineLearner current, State state) {
      compactions.inc();
      state.learned.clear();
      current.memoryEntries().forEach(state.learned::add);
      state.learnedAppended.write(0);
    }

    private void compactPending(OnlineLearner current, State state) {
      state.pending.clear();
      current.pending().forEach(state.pending::add);
      state.pendingAppended.write(0);
    }

    private void bump(State state) {
      Long written = state.generation.read();
      long next = (written == null ? 0 : written) + 1;
      state.generation.write(next);
      learnerGeneration = next;
    }

    /** How the version of {@code versionId} scores online, or null when it cannot be loaded. */
    private OnlineLearner.Scoring scoring(String versionId) {
      LoadedDetectors.Selection selection =
          LoadedDetectors.forVersion(
              location.versionKeyFor(versionId),
              location,
              embedder.modelId(),
              embedder.dimension(),
              overrides);
      AnomalyDetector detector = selection.detector();
      if (detector == null || !detector.modelVersion().equals(versionId)) {
        return null;
      }
      HstModel trees = null;
      if (hst) {
        String key = location + "|" + versionId;
        trees =
            HST_MODELS.computeIfAbsent(
                key,
                unused ->
                    HstModel.fit(
                        detector.referenceVectors(),
                        HalfSpaceTrees.Settings.defaults(),
                        targetFalseAlarmRate(detector)));
        // a learner serves one version at a time: older versions' trees of this model go (a
        // straggler refits them, deterministically)
        HST_MODELS.keySet().removeIf(held -> held.startsWith(location + "|") && !held.equals(key));
      }
      return new OnlineLearner.Scoring(versionId, detector.knnK(), knnThreshold(detector), trees);
    }

    /** Why online learning cannot score this message, or null. */
    private String problem(Detection detection, OnlineLearner.Scoring scoring) {
      if (detection.getEmbedding() == null || detection.getKnnSimilarities() == null) {
        return "the scored message carries no embedding or kNN similarities to learn from";
      }
      if (!hst && Double.isNaN(scoring.knnThreshold())) {
        return "model version "
            + scoring.version()
            + " decides on "
            + detection.getDecision()
            + "; online learning needs the knn score (--score=knn) or --score=hst";
      }
      return null;
    }

    private static double knnThreshold(AnomalyDetector detector) {
      return detector.rule() == DecisionRule.SCORE && detector.scoreKind() == ScoreKind.KNN
          ? detector.threshold()
          : Double.NaN;
    }

    private static double targetFalseAlarmRate(AnomalyDetector detector) {
      return detector.metadata().calibration() == null
          ? dev.anomalystream.core.model.Calibration.DEFAULT_TARGET_FALSE_ALARM_RATE
          : detector.metadata().calibration().targetFalseAlarmRate();
    }

    private static Detection decided(
        Detection detection, OnlineLearner.Scoring scoring, OnlineLearner.Outcome outcome) {
      Detection.Builder decided =
          detection.toBuilder()
              .setKnnScore(outcome.knnScore())
              .setAnomaly(outcome.anomalous())
              .setLearned(outcome.learned())
              .setHstScore(outcome.hstScore())
              .setKnnSimilarities(null);
      if (outcome.hstScore() != null) {
        decided
            .setDecision(String.format(Locale.ROOT, "hst>%.4f", scoring.hst().threshold()))
            .setThreshold(scoring.hst().threshold());
      } else if (outcome.topic() != null) {
        // over the global threshold, within an adopted topic's own: the row says which and by how
        // much
        decided.setDecision(
            String.format(
                Locale.ROOT,
                "%s, within topic %s: %.4f<=%.4f",
                detection.getDecision(),
                outcome.topic().topicId(),
                outcome.topic().score(),
                outcome.topic().threshold()));
      }
      return decided.build();
    }

    private static Failure failure(Detection detection, String reason) {
      return Failure.builder()
          .setStage(STAGE)
          .setReason(reason)
          .setPayload(detection.getMessage().getText().getBytes(StandardCharsets.UTF_8))
          .setAttributes(Map.of("uid", detection.getMessage().getUid()))
          .setTime(Instant.now())
          .build();
    }

    private static List<MemoryEntry> list(Iterable<MemoryEntry> entries) {
      List<MemoryEntry> list = new ArrayList<>();
      entries.forEach(list::add);
      return list;
    }

    private static int orZero(Integer value) {
      return value == null ? 0 : value;
    }
  }

  /** The state cells of one call, together. */
  private record State(
      ValueState<String> version,
      ValueState<Long> generation,
      BagState<MemoryEntry> learned,
      ValueState<Integer> learnedAppended,
      BagState<MemoryEntry> hstReference,
      BagState<MemoryEntry> pending,
      ValueState<Integer> pendingAppended,
      ValueState<TreeMap<Long, Integer>> budget) {}
}
