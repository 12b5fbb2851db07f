package dev.anomalystream.train;

import dev.anomalystream.core.embedding.FloatArrayCoder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.ModelMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model per group, fitted in parallel: the vectors joined with their rows' groups by uid, keyed
 * by group, {@link GroupByKey}, and one fit per group ({@link GroupFit#fit}) wherever the runner
 * puts that group, so a distributed runner fits the groups on as many workers as there are groups.
 * Rows without a group train the global model only. Counters {@code group_models_fitted} and {@code
 * groups_without_model}.
 */
public final class FitGroupModels
    extends PTransform<PCollection<KV<String, float[]>>, PCollection<GroupFit>> {
  private static final Logger LOG = LoggerFactory.getLogger(FitGroupModels.class);
  private static final TupleTag<float[]> VECTOR = new TupleTag<>("vector") {};
  private static final TupleTag<String> GROUP = new TupleTag<>("group") {};

  private final FitCalibratePublish.Plan plan;
  private final PCollection<KV<String, String>> groupByUid;
  private final int minGroupSize;

  /**
   * @param groupByUid the group of each row that has one, by uid
   * @param minGroupSize groups with fewer rows get no model of their own
   */
  public FitGroupModels(
      FitCalibratePublish.Plan plan, PCollection<KV<String, String>> groupByUid, int minGroupSize) {
    if (minGroupSize < 2) {
      throw new IllegalArgumentException("--minGroupSize must be at least 2, was " + minGroupSize);
    }
    this.plan = plan;
    this.groupByUid = groupByUid;
    this.minGroupSize = minGroupSize;
  }

  @Override
  public PCollection<GroupFit> expand(PCollection<KV<String, float[]>> vectors) {
    return KeyedPCollectionTuple.of(VECTOR, vectors)
        .and(GROUP, groupByUid)
        .apply("JoinByUid", CoGroupByKey.create())
        .apply("KeyByGroup", ParDo.of(new KeyByGroupFn()))
        .setCoder(
            KvCoder.of(
                StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), FloatArrayCoder.of())))
        .apply("GroupRows", GroupByKey.create())
        .apply("FitEachGroup", ParDo.of(new FitGroupFn(plan, minGroupSize)))
        .setCoder(SerializableCoder.of(GroupFit.class));
  }

  private static final class KeyByGroupFn
      extends DoFn<KV<String, CoGbkResult>, KV<String, KV<String, float[]>>> {
    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> joined,
        OutputReceiver<KV<String, KV<String, float[]>>> out) {
      String group = joined.getValue().getOnly(GROUP, null);
      float[] vector = joined.getValue().getOnly(VECTOR, null);
      if (group != null && vector != null) {
        out.output(KV.of(group, KV.of(joined.getKey(), vector)));
      }
    }
  }

  private static final class FitGroupFn
      extends DoFn<KV<String, Iterable<KV<String, float[]>>>, GroupFit> {
    private final Counter fitted = Metrics.counter(FitGroupModels.class, "group_models_fitted");
    private final Counter without = Metrics.counter(FitGroupModels.class, "groups_without_model");
    private final FitCalibratePublish.Plan plan;
    private final int minGroupSize;

    FitGroupFn(FitCalibratePublish.Plan plan, int minGroupSize) {
      this.plan = plan;
      this.minGroupSize = minGroupSize;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<String, float[]>>> group, OutputReceiver<GroupFit> out)
        throws java.io.IOException {
      List<KV<String, float[]>> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      GroupFit fit =
          GroupFit.fit(
              group.getKey(),
              rows,
              plan,
              ModelMetadata.Embedding.of(SharedEmbedders.get(plan.embedder())),
              minGroupSize,
              Instant.now());
      if (fit.hasModel()) {
        fitted.inc();
        LOG.info(
            "group {}: model fitted on {} rows in {} s",
            fit.group(),
            fit.rows(),
            String.format(java.util.Locale.ROOT, "%.1f", fit.fitSeconds()));
      } else {
        without.inc();
        LOG.warn("group {} gets no model of its own: {}", fit.group(), fit.reason());
      }
      out.output(fit);
    }
  }
}
