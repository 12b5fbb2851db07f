package dev.anomalystream.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.beam.ToListFn;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.GroupRetention;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.StoredModel;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers every vector, holds a seeded slice out for calibration, fits, calibrates and gates with
 * {@link ModelTrainer}, and publishes the version (then moves LATEST) only when the gate lets it.
 * The texts of the rows, gathered as a side input, give the version its term statistics; with
 * autoencoder settings the version gets an autoencoder trained on the fitted rows. Emits one JSON
 * report line either way; counters {@code models_published} / {@code models_refused}. HDBSCAN is a
 * single-machine fit, so this step runs on one worker by design.
 *
 * <p>With group models ({@link #withGroups}), the version is a release: the global model with every
 * group model fitted by {@link FitGroupModels}, and the models of groups without a new one (absent
 * from this history, too small, refused) kept from the release LATEST named while they are younger
 * than the retention ({@link GroupRetention}), all written before LATEST moves. A refused global
 * model publishes nothing.
 */
public final class FitCalibratePublish
    extends PTransform<PCollection<KV<String, float[]>>, PCollection<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(FitCalibratePublish.class);

  /** Everything the fit needs besides the vectors. */
  public record Plan(
      String modelRoot,
      ModelTrainer.Settings settings,
      AutoencoderTrainer.Settings autoencoder,
      double calibrationFraction,
      long seed,
      EmbedderOptions embedder,
      String sourceDescription,
      Instant from,
      Instant to)
      implements Serializable {}

  private final Plan plan;
  private final PCollection<KV<String, String>> texts;
  private final PCollection<GroupFit> groups;
  private final Duration groupRetention;

  /**
   * @param texts the text of each row by uid
   */
  public FitCalibratePublish(Plan plan, PCollection<KV<String, String>> texts) {
    this(plan, texts, null, Duration.ZERO);
  }

  private FitCalibratePublish(
      Plan plan,
      PCollection<KV<String, String>> texts,
      PCollection<GroupFit> groups,
      Duration groupRetention) {
    this.plan = plan;
    this.texts = texts;
    this.groups = groups;
    this.groupRetention = groupRetention;
  }

  /**
   * Publishes the global model with these group models as one release.
   *
   * @param retention how long a group without a new model keeps its previous one
   */
  public FitCalibratePublish withGroups(PCollection<GroupFit> groups, Duration retention) {
    return new FitCalibratePublish(plan, texts, groups, retention);
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, float[]>> vectors) {
    PCollectionView<List<KV<String, String>>> allTexts =
        texts.apply(
            "GatherTexts",
            Combine.globally(ToListFn.<KV<String, String>>create()).asSingletonView());
    PCollectionView<List<GroupFit>> groupFits =
        groups == null ? null : groups.apply("GatherGroupModels", View.asList());
    ParDo.SingleOutput<List<KV<String, float[]>>, String> fit =
        ParDo.of(new FitFn(plan, allTexts, groupFits, groupRetention)).withSideInputs(allTexts);
    return vectors
        .apply("GatherAll", Combine.globally(ToListFn.<KV<String, float[]>>create()))
        .apply("FitAndGate", groupFits == null ? fit : fit.withSideInputs(groupFits))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class FitFn extends DoFn<List<KV<String, float[]>>, String> {
    private final Counter published =
        Metrics.counter(FitCalibratePublish.class, "models_published");
    private final Counter refused = Metrics.counter(FitCalibratePublish.class, "models_refused");
    private final Plan plan;
    private final PCollectionView<List<KV<String, String>>> texts;
    private final PCollectionView<List<GroupFit>> groupFits;
    private final Duration groupRetention;

    FitFn(
        Plan plan,
        PCollectionView<List<KV<String, String>>> texts,
        PCollectionView<List<GroupFit>> groupFits,
        Duration groupRetention) {
      this.plan = plan;
      this.texts = texts;
      this.groupFits = groupFits;
      this.groupRetention = groupRetention;
    }

    @ProcessElement
    public void process(
        @Element List<KV<String, float[]>> all, OutputReceiver<String> out, ProcessContext context)
        throws IOException {
      ObjectNode report = Json.MAPPER.createObjectNode();
      report.put("rows", all.size());
      // sorted, so the hold-out and the fit do not depend on how the runner ordered the rows
      List<KV<String, float[]>> rows = new ArrayList<>(all);
      rows.sort(Comparator.comparing(KV::getKey));
      if (rows.size() < 2 * plan.settings().hdbscan().minClusterSize()) {
        refused.inc();
        report.put("published", false);
        report
            .putArray("refusals")
            .add(
                "only "
                    + rows.size()
                    + " usable history rows; at least "
                    + 2 * plan.settings().hdbscan().minClusterSize()
                    + " are needed");
        out.output(report.toString());
        return;
      }
      ModelTrainer.HeldOut<KV<String, float[]>> split =
          ModelTrainer.splitForCalibration(rows, plan.calibrationFraction(), plan.seed());
      SentenceEmbedder embedder = SharedEmbedders.get(plan.embedder());
      float[][] fitVectors = split.fit().stream().map(KV::getValue).toArray(float[][]::new);
      Autoencoder.Trained autoencoder =
          plan.autoencoder() == null
              ? null
              : AutoencoderTrainer.train(fitVectors, plan.autoencoder());
      ModelTrainer.TrainedModel trained =
          ModelTrainer.train(
              fitVectors,
              fitTexts(split.fit(), context.sideInput(texts)),
              split.calibration().stream().map(KV::getValue).toArray(float[][]::new),
              plan.settings(),
              autoencoder,
              ModelMetadata.Embedding.of(embedder),
              new ModelMetadata.TrainingSource(
                  "detector-history",
                  plan.sourceDescription(),
                  plan.from(),
                  plan.to(),
                  (long) rows.size()),
              Instant.now());
      trained.warnings().forEach(w -> LOG.warn("training: {}", w));
      report.put("clusters", trained.fit().clusterCount());
      report.put("noise_fraction", trained.fit().noiseFraction());
      report
          .putArray("warnings")
          .addAll(trained.warnings().stream().map(report::textNode).toList());
      if (!trained.publishable()) {
        refused.inc();
        trained.refusals().forEach(r -> LOG.error("not published: {}", r));
        report.put("published", false);
        report
            .putArray("refusals")
            .addAll(trained.refusals().stream().map(report::textNode).toList());
        out.output(report.toString());
        return;
      }
      ModelStore store = ModelStore.open(plan.modelRoot(), plan.settings().modelName());
      List<ModelStore.GroupModel> release =
          groupFits == null
              ? List.of()
              : releaseGroups(
                  store, context.sideInput(groupFits), trained.metadata().createdAt(), report);
      ModelMetadata stored = ModelTrainer.publishRelease(store, trained, release);
      published.inc();
      report.put("published", true);
      report.put("version", stored.version());
      report.put("threshold", trained.calibration().threshold());
      out.output(report.toString());
    }

    /**
     * The group models of the release: the ones fitted now, and the previous release's models of
     * groups without a new one, kept while younger than the retention. Reported per group.
     */
    private List<ModelStore.GroupModel> releaseGroups(
        ModelStore store, List<GroupFit> fits, Instant now, ObjectNode report) throws IOException {
      List<ModelStore.GroupModel> release = new ArrayList<>();
      ObjectNode byGroup = report.putObject("groups");
      Set<String> fitted = new TreeSet<>();
      List<GroupFit> sorted = new ArrayList<>(fits);
      sorted.sort(Comparator.comparing(GroupFit::group));
      for (GroupFit fit : sorted) {
        ObjectNode entry = byGroup.putObject(fit.group());
        entry.put("rows", fit.rows());
        entry.put("fit_seconds", fit.fitSeconds());
        entry.put("model", fit.hasModel() ? "fitted" : "none");
        if (fit.reason() != null) {
          entry.put("reason", fit.reason());
        }
        if (fit.hasModel()) {
          fitted.add(fit.group());
          release.add(fit.toGroupModel());
        }
      }
      StoredModel previous = null;
      try {
        previous = store.readLatest().isPresent() ? store.loadLatest() : null;
      } catch (IOException e) {
        // the previous release cannot be checked: keeping none of its models is the safe side
        LOG.warn("cannot load the previous release to keep its group models: {}", e.toString());
        report.withArray("warnings").add("previous release unreadable, no group model kept: " + e);
      }
      GroupRetention.kept(previous, fitted, groupRetention, now)
          .forEach(
              (group, model) -> {
                release.add(ModelStore.GroupModel.kept(group, model));
                ObjectNode entry =
                    byGroup.has(group) ? (ObjectNode) byGroup.get(group) : byGroup.putObject(group);
                entry.put("model", "kept");
                entry.put("trained_in_version", model.metadata().version());
              });
      return release;
    }

    /**
     * The texts of the fitted rows in their order; empty (the version then gets no term statistics)
     * when a row has none.
     */
    private static List<String> fitTexts(
        List<KV<String, float[]>> fitRows, List<KV<String, String>> texts) {
      Map<String, String> textOf = new HashMap<>();
      texts.forEach(text -> textOf.putIfAbsent(text.getKey(), text.getValue()));
      List<String> fitTexts = new ArrayList<>();
      for (KV<String, float[]> row : fitRows) {
        String text = textOf.get(row.getKey());
        if (text == null) {
          LOG.warn(
              "training: row {} has no text; the version gets no term statistics", row.getKey());
          return List.of();
        }
        fitTexts.add(text);
      }
      return fitTexts;
    }
  }
}
