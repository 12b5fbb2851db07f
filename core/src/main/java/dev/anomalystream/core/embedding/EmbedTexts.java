package dev.anomalystream.core.embedding;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.failure.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
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
 * SharedEmbedders}. Output: {@link #embedded()} pairs each element with its L2-normalised vector;
 * {@link #FAILURES} holds a {@link Failure} (stage {@value #STAGE}, attribute {@code id}) for each
 * element that could not be embedded. Nothing is dropped.
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

  public static final int DEFAULT_MAX_BATCH_SIZE = 64;
  public static final Duration DEFAULT_MAX_BUFFERING = Duration.standardSeconds(1);
  public static final int DEFAULT_SHARDS = 4;

  private final EmbedderOptions options;
  private final TextBatchEmbedder<T> batchEmbedder;
  private final int maxBatchSize;
  private final Duration maxBuffering;
  private final int shards;
  // not an anonymous subclass: that would capture this transform into the DoFns holding the tag
  private final TupleTag<KV<T, float[]>> embedded = new TupleTag<>("embedded");

  private EmbedTexts(
      EmbedderOptions options,
      TextBatchEmbedder<T> batchEmbedder,
      int maxBatchSize,
      Duration maxBuffering,
      int shards) {
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
        DEFAULT_SHARDS);
  }

  /** Most elements per call of the model. */
  public EmbedTexts<T> withMaxBatchSize(int elements) {
    return new EmbedTexts<>(options, batchEmbedder, elements, maxBuffering, shards);
  }

  /** Unbounded input: the longest an element waits for its batch to fill. */
  public EmbedTexts<T> withMaxBuffering(Duration duration) {
    return new EmbedTexts<>(options, batchEmbedder, maxBatchSize, duration, shards);
  }

  /** Unbounded input: how many keys elements are spread over (each key fills its own batches). */
  public EmbedTexts<T> withShards(int count) {
    return new EmbedTexts<>(options, batchEmbedder, maxBatchSize, maxBuffering, count);
  }

  /** The tag of the (element, vector) output. */
  public TupleTag<KV<T, float[]>> embedded() {
    return embedded;
  }

  @Override
  public PCollectionTuple expand(PCollection<T> input) {
    Coder<T> elementCoder = input.getCoder();
    PCollectionTuple outputs;
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      outputs =
          input.apply(
              "EmbedBundles",
              ParDo.of(new EmbedBundlesFn<>(options, batchEmbedder, embedded, maxBatchSize))
                  .withOutputTags(embedded, TupleTagList.of(FAILURES)));
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
                  ParDo.of(new EmbedBatchesFn<>(options, batchEmbedder, embedded))
                      .withOutputTags(embedded, TupleTagList.of(FAILURES)));
    }
    outputs.get(embedded).setCoder(KvCoder.of(elementCoder, FloatArrayCoder.of()));
    // a tagged output's inferred coder would be SerializableCoder, not Failure's schema coder
    outputs.get(FAILURES).setCoder(SchemaCoders.of(Failure.class));
    return outputs;
  }

  /** Counters and the shared model, common to both batching strategies. */
  private abstract static class EmbeddingFn<InputT, T> extends DoFn<InputT, KV<T, float[]>> {
    private static final long serialVersionUID = 1L;

    private final EmbedderOptions options;
    private final TextBatchEmbedder<T> batchEmbedder;
    final TupleTag<KV<T, float[]>> embedded;
    private final Counter embeddedCount = Metrics.counter(EmbedTexts.class, "embedded");
    private final Counter failedCount = Metrics.counter(EmbedTexts.class, "failed");
    private final Counter truncatedCount = Metrics.counter(EmbedTexts.class, "truncated");
    private transient SentenceEmbedder embedder;

    EmbeddingFn(
        EmbedderOptions options,
        TextBatchEmbedder<T> batchEmbedder,
        TupleTag<KV<T, float[]>> embedded) {
      this.options = options;
      this.batchEmbedder = batchEmbedder;
      this.embedded = embedded;
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
        EmbedderOptions options,
        TextBatchEmbedder<T> batchEmbedder,
        TupleTag<KV<T, float[]>> embedded) {
      super(options, batchEmbedder, embedded);
    }

    @ProcessElement
    public void processElement(
        @Element KV<ShardedKey<Integer>, Iterable<T>> batch, MultiOutputReceiver out) {
      List<T> elements = new ArrayList<>();
      batch.getValue().forEach(elements::add);
      TextBatchEmbedder.Outcome outcome = embedAndCount(elements);
      for (int i = 0; i < elements.size(); i++) {
        if (outcome.failures[i] != null) {
          out.get(FAILURES).output(outcome.failures[i]);
        } else {
          out.get(embedded).output(KV.of(elements.get(i), outcome.vectors[i]));
        }
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
        TupleTag<KV<T, float[]>> embedded,
        int maxBatchSize) {
      super(options, batchEmbedder, embedded);
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
        for (int i = start; i < end; i++) {
          if (outcome.failures[i - start] != null) {
            context.output(
                FAILURES, outcome.failures[i - start], timestamps.get(i), windows.get(i));
          } else {
            context.output(
                embedded,
                KV.of(elements.get(i), outcome.vectors[i - start]),
                timestamps.get(i),
                windows.get(i));
          }
        }
      }
      startBundle();
    }
  }
}
