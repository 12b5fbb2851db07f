package dev.anomalystream.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.beam.ToListFn;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.Autoencoder;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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

  /**
   * @param texts the text of each row by uid
   */
  public FitCalibratePublish(Plan plan, PCollection<KV<String, String>> texts) {
    this.plan = plan;
    this.texts = texts;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, float[]>> vectors) {
    PCollectionView<List<KV<String, String>>> allTexts =
        texts.apply(
            "GatherTexts",
            Combine.globally(ToListFn.<KV<String, String>>create()).asSingletonView());
    return vectors
        .apply("GatherAll", Combine.globally(ToListFn.<KV<String, float[]>>create()))
        .apply("FitAndGate", ParDo.of(new FitFn(plan, allTexts)).withSideInputs(allTexts))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class FitFn extends DoFn<List<KV<String, float[]>>, String> {
    private final Counter published =
        Metrics.counter(FitCalibratePublish.class, "models_published");
    private final Counter refused = Metrics.counter(FitCalibratePublish.class, "models_refused");
    private final Plan plan;
    private final PCollectionView<List<KV<String, String>>> texts;

    FitFn(Plan plan, PCollectionView<List<KV<String, String>>> texts) {
      this.plan = plan;
      this.texts = texts;
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
      ModelMetadata stored =
          ModelTrainer.publish(
              ModelStore.open(plan.modelRoot(), plan.settings().modelName()), trained);
      published.inc();
      report.put("published", true);
      report.put("version", stored.version());
      report.put("threshold", trained.calibration().threshold());
      out.output(report.toString());
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
