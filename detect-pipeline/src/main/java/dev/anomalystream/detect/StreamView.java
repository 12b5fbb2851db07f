package dev.anomalystream.detect;

import dev.anomalystream.core.alert.StreamAlert;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.stream.DriftEpisodes;
import dev.anomalystream.core.stream.EventTimeCheck;
import dev.anomalystream.core.stream.TopicCandidate;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.TopicTracker;
import dev.anomalystream.core.stream.WindowAnalysis;
import dev.anomalystream.core.stream.WindowContents;
import dev.anomalystream.core.stream.WindowScore;
import dev.anomalystream.core.stream.WindowSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The stream view: scored messages in sliding event-time windows, each window analysed as a whole
 * ({@link WindowAnalysis}: window-relative scores, drift against the model's reference, topic
 * candidates among its anomalies), and the candidates of successive windows tracked into topic
 * events ({@link TopicTracker}, in state under one key).
 *
 * <pre>
 * detections (with embeddings)
 *   ─▶ EventTime (re-stamped with the message's own time: event_time, else the source's stamp;
 *      an unusable event_time is a dead letter of stage 'window')
 *   ─▶ SlidingWindows (watermark trigger, a late pane per late arrival within the lateness,
 *      accumulating: a late pane re-analyses the whole window)
 *   ─▶ GroupByKey (one key: a window is analysed in one place) ─▶ AnalyseWindow
 *   ─┬▶ WINDOWS (one summary per firing)
 *    ├▶ WINDOW_SCORES
 *    └▶ topic candidates ─▶ TrackTopics (InWindowOrder: TopicTracker in window order) ─▶ TOPICS
 * alerts(view): WINDOWS ─▶ DriftEpisodes (InWindowOrder) + TOPICS ─▶ StreamAlerts
 * </pre>
 *
 * <p>Every output is back in the global window with the default trigger, so it writes and flattens
 * like the detector's other outputs. The messages' own rows do not wait for any of this. The same
 * transform serves the batch tool (scripts/evaluate-stream) over a bounded input.
 */
public final class StreamView extends PTransform<PCollection<Detection>, PCollectionTuple> {
  public static final String STAGE = "window";

  public static final TupleTag<WindowSummary> WINDOWS = new TupleTag<>() {};
  public static final TupleTag<WindowScore> WINDOW_SCORES = new TupleTag<>() {};
  public static final TupleTag<TopicEvent> TOPICS = new TupleTag<>() {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private static final TupleTag<Detection> IN_TIME = new TupleTag<>() {};
  private static final TupleTag<KV<String, WindowTopics>> CANDIDATES = new TupleTag<>() {};

  private final WindowAnalysis.Settings settings;
  private final java.time.Duration allowedLateness;
  private final ModelLocation modelLocation;
  private final TopicTracker.Adoption adoption;

  public StreamView(
      WindowAnalysis.Settings settings,
      java.time.Duration allowedLateness,
      ModelLocation modelLocation) {
    this(settings, allowedLateness, modelLocation, null);
  }

  /**
   * @param adoption when a topic is adopted by online learning, or null for never
   */
  public StreamView(
      WindowAnalysis.Settings settings,
      java.time.Duration allowedLateness,
      ModelLocation modelLocation,
      TopicTracker.Adoption adoption) {
    this.settings = settings;
    this.allowedLateness = allowedLateness;
    this.modelLocation = modelLocation;
    this.adoption = adoption;
  }

  /** The stream view its options describe, over the model versions {@code modelLocation} holds. */
  public static StreamView of(StreamViewOptions options, ModelLocation modelLocation) {
    return new StreamView(
        StreamViewOptions.settings(options),
        java.time.Duration.ofMinutes(options.getAllowedLatenessMinutes()),
        modelLocation,
        LearningOptions.topicAdoption(options));
  }

  /** One window's topic candidates, on their way to the tracker. */
  record WindowTopics(
      Instant windowEnd,
      java.time.Duration windowLength,
      List<TopicCandidate> candidates,
      String modelVersion)
      implements java.io.Serializable {}

  @Override
  public PCollectionTuple expand(PCollection<Detection> detections) {
    PCollectionTuple stamped =
        detections.apply(
            "EventTime",
            ParDo.of(new EventTimeFn(allowedLateness))
                .withOutputTags(IN_TIME, TupleTagList.of(FAILURES)));
    stamped.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    PCollectionTuple analysed =
        stamped
            .get(IN_TIME)
            .setCoder(detections.getCoder())
            .apply(
                "SlidingWindows",
                Window.<Detection>into(
                        SlidingWindows.of(joda(settings.window())).every(joda(settings.slide())))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withLateFirings(AfterPane.elementCountAtLeast(1)))
                    .withAllowedLateness(joda(allowedLateness))
                    .accumulatingFiredPanes())
            .apply(
                "OneKey",
                WithKeys.<String, Detection>of("window").withKeyType(TypeDescriptors.strings()))
            .apply("GroupWindow", GroupByKey.create())
            .apply(
                "AnalyseWindow",
                ParDo.of(new AnalyseWindowFn(settings, modelLocation))
                    .withOutputTags(WINDOWS, TupleTagList.of(WINDOW_SCORES).and(CANDIDATES)));
    PCollection<WindowSummary> windows =
        global(
            "WindowsToGlobal",
            analysed.get(WINDOWS).setCoder(SerializableCoder.of(WindowSummary.class)));
    PCollection<WindowScore> scores =
        global(
            "ScoresToGlobal",
            analysed.get(WINDOW_SCORES).setCoder(SerializableCoder.of(WindowScore.class)));
    PCollection<TopicEvent> topics =
        global(
                "CandidatesToGlobal",
                analysed
                    .get(CANDIDATES)
                    .setCoder(
                        KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(WindowTopics.class))))
            .apply(
                "TrackTopics",
                ParDo.of(
                    new InWindowOrder<>(
                        WindowTopics.class,
                        TopicTracker.class,
                        WindowTopics::windowEnd,
                        new TrackTopics(adoption))))
            .setCoder(SerializableCoder.of(TopicEvent.class));
    return PCollectionTuple.of(WINDOWS, windows)
        .and(WINDOW_SCORES, scores)
        .and(TOPICS, topics)
        .and(FAILURES, stamped.get(FAILURES));
  }

  /**
   * What the stream view alerts: the first window of each drift episode (a run of drifting windows)
   * and every topic event (a topic's creation, then at most one update per window as it grows,
   * until online learning adopts it: then the adoption, and no more), for {@link AlertOnAnomalies}'
   * digests.
   */
  public static PCollection<StreamAlert> alerts(PCollectionTuple view) {
    PCollection<StreamAlert> drift =
        view.get(WINDOWS)
            .apply(
                "OneDriftKey",
                WithKeys.<String, WindowSummary>of("drift").withKeyType(TypeDescriptors.strings()))
            .apply(
                "DriftEpisodes",
                ParDo.of(
                    new InWindowOrder<>(
                        WindowSummary.class,
                        DriftEpisodes.class,
                        WindowSummary::windowEnd,
                        new AlertDriftEpisodes())))
            .setCoder(SerializableCoder.of(StreamAlert.class));
    PCollection<StreamAlert> topics =
        view.get(TOPICS)
            .apply("AlertingTopics", Filter.by(StreamAlert::alerts))
            .apply(
                "TopicAlert",
                MapElements.into(TypeDescriptor.of(StreamAlert.class)).via(StreamAlert::topic))
            .setCoder(SerializableCoder.of(StreamAlert.class));
    return PCollectionList.of(drift).and(topics).apply("StreamAlerts", Flatten.pCollections());
  }

  private static <T> PCollection<T> global(String name, PCollection<T> windowed) {
    return windowed.apply(
        name,
        Window.<T>into(new GlobalWindows())
            .triggering(DefaultTrigger.of())
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes());
  }

  static Duration joda(java.time.Duration duration) {
    return Duration.millis(duration.toMillis());
  }

  /**
   * Stamps each message with its own time again: its event_time when usable, else the time the
   * source stamped it with (Pub/Sub publish time, Kafka record time, kept in the message). The
   * element's timestamp on arrival here is not that: the embedding step emits each batch's messages
   * with the batch's timestamp, which on Flink put messages into the wrong windows, or behind the
   * watermark. An event_time too far from the source's stamp is refused.
   */
  private static final class EventTimeFn extends DoFn<Detection, Detection> {
    /** How far batching may have moved an element's timestamp from its message's own time. */
    private static final Duration BATCHING_SKEW = Duration.standardMinutes(10);

    private final Counter refused = Metrics.counter(StreamView.class, "event_time_refused");
    private final java.time.Duration allowedLateness;

    EventTimeFn(java.time.Duration allowedLateness) {
      this.allowedLateness = allowedLateness;
    }

    @ProcessElement
    public void process(
        @Element Detection detection,
        @Timestamp org.joda.time.Instant stamp,
        MultiOutputReceiver out) {
      InboundMessage message = detection.getMessage();
      Instant eventTime = message.getEventTime();
      String problem =
          eventTime == null
              ? null
              : EventTimeCheck.problem(eventTime, message.getPublishTime(), allowedLateness);
      Instant own = WindowContents.eventTime(message);
      if (problem == null
          && own.toEpochMilli() < stamp.getMillis() - getAllowedTimestampSkew().getMillis()) {
        // Beam refuses to move an element back further than the skew: say why instead of failing
        problem =
            "its time "
                + own
                + " is more than "
                + getAllowedTimestampSkew().getStandardMinutes()
                + " min before its timestamp in the pipeline ("
                + stamp
                + ")";
      }
      if (problem != null) {
        refused.inc();
        out.get(FAILURES)
            .output(
                Failure.builder()
                    .setStage(STAGE)
                    .setReason(problem + "; the message's row was written, it joins no window")
                    .setPayload(message.getText().getBytes(StandardCharsets.UTF_8))
                    .setAttributes(Map.of("uid", message.getUid()))
                    .setTime(Instant.now())
                    .build());
        return;
      }
      out.get(IN_TIME)
          .outputWithTimestamp(detection, new org.joda.time.Instant(own.toEpochMilli()));
    }

    /**
     * Event times may lie up to the allowed lateness before the source's stamp, and batching may
     * have moved the element's timestamp after it (see above).
     */
    @Override
    @SuppressWarnings("deprecation") // the supported way to move elements back in time
    public Duration getAllowedTimestampSkew() {
      return joda(allowedLateness).plus(BATCHING_SKEW);
    }
  }

  private static final class AnalyseWindowFn
      extends DoFn<KV<String, Iterable<Detection>>, WindowSummary> {
    private final Counter windowsAnalysed = Metrics.counter(StreamView.class, "windows_analysed");
    private final Counter driftWindows = Metrics.counter(StreamView.class, "drift_windows");
    private final Counter latePanes = Metrics.counter(StreamView.class, "late_window_updates");
    private final Counter emptyPanes = Metrics.counter(StreamView.class, "empty_panes_skipped");
    private final WindowAnalysis.Settings settings;
    private final ModelLocation modelLocation;

    AnalyseWindowFn(WindowAnalysis.Settings settings, ModelLocation modelLocation) {
      this.settings = settings;
      this.modelLocation = modelLocation;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Detection>> window,
        BoundedWindow boundedWindow,
        PaneInfo pane,
        MultiOutputReceiver out) {
      IntervalWindow interval = (IntervalWindow) boundedWindow;
      WindowContents contents =
          WindowContents.collect(
              Instant.ofEpochMilli(interval.start().getMillis()),
              Instant.ofEpochMilli(interval.end().getMillis()),
              settings.slide().toMillis(),
              window.getValue());
      if (contents.messages() == 0) {
        // seen on Flink's embedded cluster: a second ON_TIME pane 0 of a window, empty, once the
        // window's allowed lateness has passed (its garbage collection, it seems): no new row
        emptyPanes.inc();
        return;
      }
      StreamReferences.Loaded references =
          StreamReferences.forVersion(modelLocation, contents.modelVersion());
      WindowAnalysis.Result result =
          WindowAnalysis.analyse(
              contents,
              references.drift(),
              references.terms(),
              settings,
              pane.getTiming().name(),
              pane.getIndex());
      windowsAnalysed.inc();
      if (pane.getTiming() == PaneInfo.Timing.LATE) {
        latePanes.inc();
      }
      if (result.summary().isDrift()) {
        driftWindows.inc();
      }
      out.get(WINDOWS).output(result.summary());
      result.scores().forEach(out.get(WINDOW_SCORES)::output);
      out.get(CANDIDATES)
          .output(
              KV.of(
                  "topics",
                  new WindowTopics(
                      contents.end(),
                      settings.window(),
                      new ArrayList<>(result.topics()),
                      contents.modelVersion())));
    }
  }

  /** The topic tracker, fed each window's candidates in window order. */
  private static final class TrackTopics
      implements InWindowOrder.Step<WindowTopics, TopicTracker, TopicEvent> {
    private final Counter newTopics = Metrics.counter(StreamView.class, "topics_new");
    private final Counter adoptedTopics = Metrics.counter(StreamView.class, "topics_adopted");
    private final TopicTracker.Adoption adoption;

    TrackTopics(TopicTracker.Adoption adoption) {
      this.adoption = adoption;
    }

    @Override
    public TopicTracker initial() {
      return new TopicTracker(adoption);
    }

    @Override
    public List<TopicEvent> next(TopicTracker tracker, WindowTopics window) {
      List<TopicEvent> events =
          tracker.observe(
              window.windowEnd(),
              window.windowLength(),
              window.candidates(),
              window.modelVersion());
      events.stream().filter(TopicEvent::isNew).forEach(event -> newTopics.inc());
      events.stream().filter(TopicEvent::adoptedNow).forEach(event -> adoptedTopics.inc());
      return events;
    }
  }

  /** The first window of each run of drifting windows, as an alert. */
  private static final class AlertDriftEpisodes
      implements InWindowOrder.Step<WindowSummary, DriftEpisodes, StreamAlert> {
    @Override
    public DriftEpisodes initial() {
      return new DriftEpisodes();
    }

    @Override
    public List<StreamAlert> next(DriftEpisodes episodes, WindowSummary window) {
      return episodes.starts(window) ? List.of(StreamAlert.drift(window)) : List.of();
    }
  }
}
