package dev.anomalystream.core.embedding;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.failure.Failure;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Embeds the text of each element, in batches, with the per-JVM shared model of {@link
 * SharedEmbedders}. Output: {@link #embedded()} pairs each element with its L2-normalised vector,
 * or, {@link #inBatches()}, {@link #embeddedBatches()} holds those pairs a batch per element, so
 * the next stage can work on a batch at a time (scoring reads its reference once per batch) without
 * regrouping or holding elements across a bundle; {@link #FAILURES} holds a {@link Failure} (stage
 * {@value #STAGE}, attribute {@code id}) for each element that could not be embedded. Nothing is
 * dropped.
 *
 * <p>Batching differs by input, because the two cases need different things:
 *
 * <ul>
 *   <li>unbounded (the detect pipeline): {@link GroupIntoBatches} over a few random shard keys,
 *       with {@code withShardedKey()} so runners that can split a hot key do, and a max buffering
 *       duration, so a quiet stream still gets its vectors within that delay rather than waiting
 *       for a full batch;
 *   <li>bounded (backfills, training): batches cut from each bundle. No shuffle and no keys that
 *       would cap parallelism; latency does not matter there, and a bundle ends by itself.
 * </ul>
 */
public final class EmbedTexts<T> extends PTransform<PCollection<T>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final String STAGE = "embed";
  public static final TupleTag<Failure> FAILURES = new TupleTag<>("embed-failures") {};

  /**
   * The model embeds a call's texts in slices of similar length, so a larger call pads less: on
   * BGE-small, 2 cores, CPU per text was 22.6 ms in calls of 8, 13.7 ms of 64, 11.6 ms of 256 and
   * 11.2 ms of 1,536 (docs/BENCHMARKS.md). A quiet stream's batches stay small (the buffering wait
   * cuts them); a backlog's fill up.
   */
  public static final int DEFAULT_MAX_BATCH_SIZE = 256;

  public static final Duration DEFAULT_MAX_BUFFERING = Duration.standardSeconds(1);
  public static final int DEFAULT_SHARDS = 4;

  private final EmbedderOptions options;
  private final TextBatchEmbedder<T> batchEmbedder;
  private final int maxBatchSize;
  private final Duration maxBuffering;
  private final int shards;
  private final boolean inBatches;
  // not anonymous subclasses: those would capture this transform into the DoFns holding the tags
  private final TupleTag<KV<T, float[]>> embedded = new TupleTag<>("embedded");
  private final TupleTag<List<KV<T, float[]>>> embeddedBatches = new TupleTag<>("embedded-batches");

  private EmbedTexts(
      EmbedderOptions options,
      TextBatchEmbedder<T> batchEmbedder,
      int maxBatchSize,
      Duration maxBuffering,
      int shards,
      boolean inBatches) {
    if (maxBatchSize < 1 || shards < 1 || !maxBuffering.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "maxBatchSize and shards must be >= 1 and maxBuffering positive, got "
              + maxBatchSize
              + ", "
              + shards
              + ", "
              + maxBuffering);
    }
    this.options = Objects.requireNonNull(options, "options");
    this.batchEmbedder = batchEmbedder;
    this.maxBatchSize = maxBatchSize;
    this.maxBuffering = maxBuffering;
    this.shards = shards;
    this.inBatches = inBatches;
  }

  /**
   * @param textOf the text to embed of an element
   * @param idOf an identifier of an element, recorded in its failure record
   */
  public static <T> EmbedTexts<T> of(
      EmbedderOptions options,
      SerializableFunction<T, String> textOf,
      SerializableFunction<T, String> idOf) {
    return new EmbedTexts<>(
        options,
        new TextBatchEmbedder<>(textOf, idOf),
        DEFAULT_MAX_BATCH_SIZE,
        DEFAULT_MAX_BUFFERING,
        DEFAULT_SHARDS,
        false);
  }

  /** Most elements per call of the model. */
  public EmbedTexts<T> withMaxBatchSize(int elements) {
    return new EmbedTexts<>(options, batchEmbedder, elements, maxBuffering, shards, inBatches);
  }

  /** Unbounded input: the longest an element waits for its batch to fill. */
  public EmbedTexts<T> withMaxBuffering(Duration duration) {
    return new EmbedTexts<>(options, batchEmbedder, maxBatchSize, duration, shards, inBatches);
  }

  /** Unbounded input: how many keys elements are spread over (each key fills its own batches). */
  public EmbedTexts<T> withShards(int count) {
    return new EmbedTexts<>(options, batchEmbedder, maxBatchSize, maxBuffering, count, inBatches);
  }

  /**
   * Output each batch's embedded elements together, as one element of {@link #embeddedBatches()},
   * instead of one element each in {@link #embedded()}. A batch holds the elements of one model
   * call that embedded (never empty); unbounded input gives it the timestamp GroupIntoBatches gave
   * the batch, bounded input the earliest of its elements' (a batch never spans two windows).
   */
  public EmbedTexts<T> inBatches() {
    return new EmbedTexts<>(options, batchEmbedder, maxBatchSize, maxBuffering, shards, true);
  }

  /** The tag of the (element, vector) output. */
  public TupleTag<KV<T, float[]>> embedded() {
    return embedded;
  }

  /** The tag of the batched (element, vector) output, {@link #inBatches()}. */
  public TupleTag<List<KV<T, float[]>>> embeddedBatches() {
    return embeddedBatches;
  }

  @Override
  public PCollectionTuple expand(PCollection<T> input) {
    Coder<T> elementCoder = input.getCoder();
    PCollectionTuple outputs;
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      outputs =
          input.apply(
              "EmbedBundles",
              ParDo.of(new EmbedBundlesFn<>(options, batchEmbedder, outputs(), maxBatchSize))
                  .withOutputTags(FAILURES, TupleTagList.of(embedded).and(embeddedBatches)));
    } else {
      int shardCount = shards;
      outputs =
          input
              .apply(
                  "SpreadOverShards",
                  WithKeys.of(
                          (SerializableFunction<T, Integer>)
                              element -> ThreadLocalRandom.current().nextInt(shardCount))
                      .withKeyType(TypeDescriptors.integers()))
              .setCoder(KvCoder.of(VarIntCoder.of(), elementCoder))
              .apply(
                  "Batch",
                  GroupIntoBatches.<Integer, T>ofSize(maxBatchSize)
                      .withMaxBufferingDuration(maxBuffering)
                      .withShardedKey())
              .apply(
                  "EmbedBatches",
                  ParDo.of(new EmbedBatchesFn<>(options, batchEmbedder, outputs()))
                      .withOutputTags(FAILURES, TupleTagList.of(embedded).and(embeddedBatches)));
    }
    KvCoder<T, float[]> pairCoder = KvCoder.of(elementCoder, FloatArrayCoder.of());
    outputs.get(embedded).setCoder(pairCoder);
    outputs.get(embeddedBatches).setCoder(ListCoder.of(pairCoder));
    // a tagged output's inferred coder would be SerializableCoder, not Failure's schema coder
    outputs.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return outputs;
  }

  private Outputs<T> outputs() {
    return new Outputs<>(inBatches ? null : embedded, inBatches ? embeddedBatches : null);
  }

  /** Where a DoFn puts what it embedded: one of the two tags is null. */
  private static final class Outputs<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    final TupleTag<KV<T, float[]>> each;
    final TupleTag<List<KV<T, float[]>>> batches;

    Outputs(TupleTag<KV<T, float[]>> each, TupleTag<List<KV<T, float[]>>> batches) {
      this.each = each;
      this.batches = batches;
    }
  }

  /** Counters and the shared model, common to both batching strategies. */
  private abstract static class EmbeddingFn<InputT, T> extends DoFn<InputT, Failure> {
    private static final long serialVersionUID = 1L;

    private final EmbedderOptions options;
    private final TextBatchEmbedder<T> batchEmbedder;
    final Outputs<T> outputs;
    private final Counter embeddedCount = Metrics.counter(EmbedTexts.class, "embedded");
    private final Counter failedCount = Metrics.counter(EmbedTexts.class, "failed");
    private final Counter truncatedCount = Metrics.counter(EmbedTexts.class, "truncated");
    private final Distribution batchSizes = Metrics.distribution(EmbedTexts.class, "batch_size");
    private transient SentenceEmbedder embedder;

    EmbeddingFn(EmbedderOptions options, TextBatchEmbedder<T> batchEmbedder, Outputs<T> outputs) {
      this.options = options;
      this.batchEmbedder = batchEmbedder;
      this.outputs = outputs;
    }

    @Setup
    public void setUp() {
      embedder = SharedEmbedders.get(options);
    }

    TextBatchEmbedder.Outcome embedAndCount(List<T> elements) {
      TextBatchEmbedder.Outcome outcome = batchEmbedder.embed(embedder, elements);
      int failed = 0;
      for (Failure failure : outcome.failures) {
        if (failure != null) {
          failed++;
        }
      }
      batchSizes.update(elements.size());
      embeddedCount.inc(elements.size() - failed);
      failedCount.inc(failed);
      truncatedCount.inc(outcome.truncatedTexts);
      return outcome;
    }
  }

  /** Unbounded input: one model call per batch GroupIntoBatches emits. */
  private static final class EmbedBatchesFn<T>
      extends EmbeddingFn<KV<ShardedKey<Integer>, Iterable<T>>, T> {
    private static final long serialVersionUID = 1L;

    EmbedBatchesFn(
        EmbedderOptions options, TextBatchEmbedder<T> batchEmbedder, Outputs<T> outputs) {
      super(options, batchEmbedder, outputs);
    }

    @ProcessElement
    public void processElement(
        @Element KV<ShardedKey<Integer>, Iterable<T>> batch, MultiOutputReceiver out) {
      List<T> elements = new ArrayList<>();
      batch.getValue().forEach(elements::add);
      TextBatchEmbedder.Outcome outcome = embedAndCount(elements);
      List<KV<T, float[]>> embeddedBatch = new ArrayList<>(elements.size());
      for (int i = 0; i < elements.size(); i++) {
        if (outcome.failures[i] != null) {
          out.get(FAILURES).output(outcome.failures[i]);
        } else if (outputs.each != null) {
          out.get(outputs.each).output(KV.of(elements.get(i), outcome.vectors[i]));
        } else {
          embeddedBatch.add(KV.of(elements.get(i), outcome.vectors[i]));
        }
      }
      if (!embeddedBatch.isEmpty()) {
        out.get(outputs.batches).output(embeddedBatch);
      }
    }
  }

  /**
   * Bounded input: elements are buffered and embedded when the bundle finishes, in batches of the
   * max size, each element output in its own window with its own timestamp.
   */
  private static final class EmbedBundlesFn<T> extends EmbeddingFn<T, T> {
    private static final long serialVersionUID = 1L;

    private final int maxBatchSize;
    private transient List<T> elements;
    private transient List<Instant> timestamps;
    private transient List<BoundedWindow> windows;

    EmbedBundlesFn(
        EmbedderOptions options,
        TextBatchEmbedder<T> batchEmbedder,
        Outputs<T> outputs,
        int maxBatchSize) {
      super(options, batchEmbedder, outputs);
      this.maxBatchSize = maxBatchSize;
    }

    @StartBundle
    public void startBundle() {
      elements = new ArrayList<>();
      timestamps = new ArrayList<>();
      windows = new ArrayList<>();
    }

    @ProcessElement
    public void processElement(
        @Element T element, @Timestamp Instant timestamp, BoundedWindow window) {
      elements.add(element);
      timestamps.add(timestamp);
      windows.add(window);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (int start = 0; start < elements.size(); start += maxBatchSize) {
        int end = Math.min(elements.size(), start + maxBatchSize);
        TextBatchEmbedder.Outcome outcome = embedAndCount(elements.subList(start, end));
        // batched output: per window, stamped with its earliest element, which later stages may
        // move each element forward from but never back
        Map<BoundedWindow, List<KV<T, float[]>>> batchByWindow = new LinkedHashMap<>();
        Map<BoundedWindow, Instant> earliest = new HashMap<>();
        for (int i = start; i < end; i++) {
          if (outcome.failures[i - start] != null) {
            context.output(
                FAILURES, outcome.failures[i - start], timestamps.get(i), windows.get(i));
          } else if (outputs.each != null) {
            context.output(
                outputs.each,
                KV.of(elements.get(i), outcome.vectors[i - start]),
                timestamps.get(i),
                windows.get(i));
          } else {
            batchByWindow
                .computeIfAbsent(windows.get(i), window -> new ArrayList<>())
                .add(KV.of(elements.get(i), outcome.vectors[i - start]));
            earliest.merge(windows.get(i), timestamps.get(i), (a, b) -> a.isBefore(b) ? a : b);
          }
        }
        batchByWindow.forEach(
            (window, batch) ->
                context.output(outputs.batches, batch, earliest.get(window), window));
      }
      startBundle();
    }
  }
}
