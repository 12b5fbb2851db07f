package dev.anomalystream.train;

import dev.anomalystream.core.beam.Launches;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.failure.FailureHandler;
import dev.anomalystream.core.failure.WriteFailuresAsJson;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.OptionValues;
import dev.anomalystream.core.options.TrainingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Refits the model from the detector's history (batch).
 *
 * <pre>
 * ReadHistory ─▶ SelectTrainingRows ─▶ EmbedWhereMissing ─▶ FitCalibratePublish ─▶ report
 *      │                   ├──── TextByUid (term statistics) ────▲
 *      │                   └─ GroupByUid ─▶ FitGroupModels ──────┘ (--groupAttribute)
 *      └──────────── failures ─────────────────┘──────────────────────────────────▶ WriteFailures
 * </pre>
 *
 * <p>The new version is written in full before LATEST moves, so a running detector that follows
 * LATEST picks it up on its next refresh; a model the gate refuses is not published.
 */
public final class TrainPipeline {
  private TrainPipeline() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(TrainOptions.class);
    TrainOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(TrainOptions.class);
    PipelineResult result = run(options);
    // no waitUntilFinish (see Launches). A template launch returns here: whether a version was
    // published, and why not, is in the report file ("published", "refusals") and the job's logs
    if (!Launches.finished(result)) {
      System.out.printf(
          "retraining job submitted (state %s); its report goes to %s/report.json%n",
          result.getState(), options.getReportDirectory());
      return;
    }
    // a local run (the DirectRunner) has finished inside run(): scripts/retrain's exit code
    Path report = Path.of(options.getReportDirectory(), "report.json");
    if (Files.exists(report)) {
      System.out.println(Files.readString(report, StandardCharsets.UTF_8).strip());
    }
    if (MetricCounts.attempted(result, FitCalibratePublish.class, "models_published") == 0) {
      System.err.println(
          "no model version was published (see the refusals above and in " + report + ")");
      System.exit(1);
    }
  }

  public static PipelineResult run(TrainOptions options) {
    String table = OptionValues.blankToNull(options.getHistoryTable());
    String files = OptionValues.blankToNull(options.getHistoryFiles());
    if ((table == null) == (files == null)) {
      throw new IllegalArgumentException("give exactly one of --historyTable and --historyFiles");
    }
    // the lookback and --from both bound the rows from below: the later one applies, to the query
    // (so BigQuery prunes partitions) and to the files alike
    Instant from =
        ReadHistory.laterStart(
            parseInstant(options.getFrom(), "--from"),
            ReadHistory.lookbackStart(options.getHistoryDays(), Instant.now()));
    Instant to = parseInstant(options.getTo(), "--to");
    options.setEmbeddingModel(embeddingToTrainWith(options));
    EmbedderOptions embedder =
        EmbedderOptions.of(options.getEmbeddingModel())
            .withIntraOpThreads(EmbeddingOptions.pipelineIntraOpThreads(options))
            .withDevice(EmbeddingOptions.device(options));
    FitCalibratePublish.Plan plan =
        new FitCalibratePublish.Plan(
            options.getModelRoot(),
            TrainingOptions.settings(options),
            AutoencoderOptions.autoencoderSettings(options),
            options.getCalibrationFraction(),
            options.getSeed(),
            embedder,
            table != null ? "bigquery:" + table : "files:" + files,
            from,
            to);

    boolean perGroup = OptionValues.blankToNull(options.getGroupAttribute()) != null;
    if (perGroup && options.getGroupRetentionDays() < 0) {
      throw new IllegalArgumentException(
          "--groupRetentionDays must be 0 or more, not " + options.getGroupRetentionDays());
    }
    Pipeline pipeline = Pipeline.create(options);
    try (FailureHandler failures =
        FailureHandler.writingTo(
            "WriteFailures", WriteFailuresAsJson.to(options.getReportDirectory() + "/failures"))) {
      PCollectionTuple history =
          pipeline.apply(
              "ReadHistory",
              withGroups(
                  table != null
                      ? ReadHistory.fromTable(table, from, to)
                          .withQueryTempDataset(options.getQueryTempDataset())
                      : ReadHistory.fromFiles(files),
                  perGroup));
      failures.addErrorCollection(history.get(ReadHistory.FAILURES));
      PCollection<HistoryRow> selected =
          history
              .get(ReadHistory.ROWS)
              .apply(
                  "SelectTrainingRows",
                  new SelectTrainingRows(from, to, options.getIncludeAnomalies()));
      PCollection<KV<String, String>> texts =
          selected.apply(
              "TextByUid",
              MapElements.into(
                      TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                  .via((HistoryRow row) -> KV.of(row.uid(), row.text())));
      PCollectionTuple embedded =
          selected.apply("EmbedWhereMissing", new EmbedWhereMissing(embedder));
      failures.addErrorCollection(embedded.get(EmbedWhereMissing.FAILURES));
      PCollection<KV<String, float[]>> vectors = embedded.get(EmbedWhereMissing.VECTORS);
      FitCalibratePublish fit = new FitCalibratePublish(plan, texts);
      if (perGroup) {
        PCollection<KV<String, String>> groups =
            selected
                .apply("WithGroup", Filter.by((HistoryRow row) -> row.group() != null))
                .apply(
                    "GroupByUid",
                    MapElements.into(
                            TypeDescriptors.kvs(
                                TypeDescriptors.strings(), TypeDescriptors.strings()))
                        .via((HistoryRow row) -> KV.of(row.uid(), row.group())));
        fit =
            fit.withGroups(
                vectors.apply(
                    "FitGroupModels", new FitGroupModels(plan, groups, options.getMinGroupSize())),
                java.time.Duration.ofDays(options.getGroupRetentionDays()));
      }
      vectors
          .apply("FitCalibratePublish", fit)
          .apply(
              "WriteReport",
              TextIO.write()
                  .to(options.getReportDirectory() + "/report")
                  .withSuffix(".json")
                  .withoutSharding());
    }
    return pipeline.run();
  }

  private static ReadHistory withGroups(ReadHistory read, boolean perGroup) {
    return perGroup ? read.withGroups() : read;
  }

  /**
   * The requested embedding model, else the one the current version was trained with (so the
   * running detector, which embeds with that one, can serve the new version), else the default.
   */
  static String embeddingToTrainWith(TrainOptions options) {
    String requested = OptionValues.blankToNull(options.getEmbeddingModel());
    if (requested != null) {
      return requested;
    }
    FileSystems.setDefaultPipelineOptions(options);
    ModelStore store = ModelStore.open(options.getModelRoot(), options.getModelName());
    try {
      return store.readLatest().isPresent()
          ? store.loadLatest().metadata().embedding().specToServe(null)
          : EmbeddingModelSpec.DEFAULT;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the current version of "
              + store.location()
              + " to learn its embedding model (give --embeddingModel to skip this): "
              + e.getMessage(),
          e);
    }
  }

  private static Instant parseInstant(String value, String option) {
    String text = OptionValues.blankToNull(value);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + "=" + text + " is not an ISO-8601 instant such as 2026-11-01T00:00:00Z", e);
    }
  }
}
