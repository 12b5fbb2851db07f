package dev.anomalystream.train;

import dev.anomalystream.core.embedding.EmbedTexts;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.FloatArrayCoder;
import dev.anomalystream.core.failure.Failure;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Each row's embedding: the stored one when the detector kept it and it came from the same model,
 * else computed now with that model. Output: uid → vector, and the rows that could not be embedded.
 */
public final class EmbedWhereMissing extends PTransform<PCollection<HistoryRow>, PCollectionTuple> {
  public static final TupleTag<KV<String, float[]>> VECTORS = new TupleTag<>("vectors") {};
  public static final TupleTag<Failure> FAILURES = EmbedTexts.FAILURES;
  private static final TupleTag<HistoryRow> TO_EMBED = new TupleTag<>("to-embed") {};

  private final EmbedderOptions embedder;

  public EmbedWhereMissing(EmbedderOptions embedder) {
    this.embedder = embedder;
  }

  @Override
  public PCollectionTuple expand(PCollection<HistoryRow> rows) {
    KvCoder<String, float[]> vectorCoder = KvCoder.of(StringUtf8Coder.of(), FloatArrayCoder.of());
    PCollectionTuple split =
        rows.apply(
            "StoredOrNot",
            ParDo.of(new SplitFn(embedder.model().modelId()))
                .withOutputTags(VECTORS, TupleTagList.of(TO_EMBED)));
    split.get(VECTORS).setCoder(vectorCoder);
    split.get(TO_EMBED).setCoder(SerializableCoder.of(HistoryRow.class));

    EmbedTexts<HistoryRow> embed = EmbedTexts.of(embedder, HistoryRow::text, HistoryRow::uid);
    PCollectionTuple embedded = split.get(TO_EMBED).apply("EmbedText", embed);
    PCollection<KV<String, float[]>> computed =
        embedded
            .get(embed.embedded())
            .apply(
                "KeyByUid",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), new TypeDescriptor<float[]>() {}))
                    .via((KV<HistoryRow, float[]> kv) -> KV.of(kv.getKey().uid(), kv.getValue())))
            .setCoder(vectorCoder);
    PCollection<KV<String, float[]>> all =
        PCollectionList.of(split.get(VECTORS))
            .and(computed)
            .apply("AllVectors", Flatten.pCollections());
    return PCollectionTuple.of(VECTORS, all).and(FAILURES, embedded.get(EmbedTexts.FAILURES));
  }

  private static final class SplitFn extends DoFn<HistoryRow, KV<String, float[]>> {
    private final Counter reused =
        Metrics.counter(EmbedWhereMissing.class, "stored_embeddings_reused");
    private final String modelId;

    SplitFn(String modelId) {
      this.modelId = modelId;
    }

    @ProcessElement
    public void process(@Element HistoryRow row, MultiOutputReceiver out) {
      if (row.hasEmbeddingFrom(modelId)) {
        reused.inc();
        out.get(VECTORS).output(KV.of(row.uid(), row.embedding()));
      } else {
        out.get(TO_EMBED).output(row);
      }
    }
  }
}
