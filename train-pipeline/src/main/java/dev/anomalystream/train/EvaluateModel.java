package dev.anomalystream.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.detection.DetectionRowFiles;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.evaluation.ConfusionCounts;
import dev.anomalystream.core.evaluation.DetectionEvaluation;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.model.Verdict;
import dev.anomalystream.core.options.DecisionOptions;
import dev.anomalystream.core.options.DeprecatedFlags;
import dev.anomalystream.core.options.EmbeddingCacheOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.OptionValues;
import dev.anomalystream.report.EvaluationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Measures a stored model on labelled data: normal messages (the detector should pass them) and one
 * or more files of anomalous ones (it should flag them). For each anomalous file and for all of
 * them together: AUROC of the score in use, and precision, recall, F1 and false-alarm rate of the
 * model's own decision, plus the best-F1 threshold; and end-to-end throughput.
 *
 * <pre>
 * EvaluateModel --model=DIR --normal=FILE --anomalous=FILE[,FILE...]
 *   [--score=glosh|knn|autoencoder] [--decision=threshold|cluster] [--outlierScoreThreshold=X]
 *   [--embeddingModel=SPEC, default the one the model was trained with] [--embeddingCache=DIR]
 *   [--report=out/evaluate/report.html] [--detections=DIR]
 * </pre>
 *
 * DIR is a model version directory or a model directory (its LATEST version). It also writes a
 * self-contained HTML report (score histograms per class, ROC curves, a 2-D projection of the
 * embeddings with the flagged ones marked and, given the detector's NDJSON rows with {@code
 * --detections}, the anomaly rate over time). The last line printed is one JSON object. {@code
 * --help=EvaluateModelOptions} lists every option.
 */
public final class EvaluateModel {
  /** The options of {@code scripts/evaluate}. */
  public interface EvaluateModelOptions
      extends DecisionOptions, EmbeddingOptions, EmbeddingCacheOptions, LabelledCorporaOptions {
    @Description("A model directory (its LATEST version is used) or one version's directory")
    @Validation.Required
    String getModel();

    void setModel(String value);

    @Description("Where the HTML report is written")
    @Default.String("out/evaluate/report.html")
    String getReport();

    void setReport(String value);

    @Description(
        "The detector's NDJSON rows directory, for the anomaly rate over time in the report")
    String getDetections();

    void setDetections(String value);
  }

  /** Spellings of earlier releases, still accepted. */
  static final DeprecatedFlags DEPRECATED_FLAGS =
      new DeprecatedFlags("evaluate", Map.of("threshold", "outlierScoreThreshold"));

  private EvaluateModel() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(EvaluateModelOptions.class);
    try {
      run(args, System.out);
    } catch (Exception e) {
      System.err.println("evaluate: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the evaluation and returns the summary JSON it printed last. */
  static ObjectNode run(String[] args, PrintStream out) throws Exception {
    EvaluateModelOptions options =
        PipelineOptionsFactory.fromArgs(DEPRECATED_FLAGS.rewrite(args, System.err))
            .withValidation()
            .as(EvaluateModelOptions.class);
    String modelDirectory = options.getModel();
    String normalFile = options.getNormal();
    List<String> anomalousFiles = OptionValues.nonBlank(options.getAnomalous());
    AnomalyDetector.Overrides overrides = DecisionOptions.overrides(options);
    String cache = OptionValues.blankToNull(options.getEmbeddingCache());
    FileSystems.setDefaultPipelineOptions(options);

    StoredModel stored = ModelStore.loadDirectory(modelDirectory);
    SentenceEmbedder embedder =
        SharedEmbedders.get(
            EmbedderOptions.of(
                    stored.metadata().embedding().specToServe(options.getEmbeddingModel()))
                .withIntraOpThreads(options.getIntraOpThreads())
                .withDevice(EmbeddingOptions.device(options)));
    AnomalyDetector detector =
        AnomalyDetector.load(stored, embedder.modelId(), embedder.dimension(), overrides);
    out.printf(
        "model %s version %s, decision %s%n",
        stored.metadata().modelName(), detector.modelVersion(), detector.describeDecision());
    TextEmbeddings embeddings =
        new TextEmbeddings(embedder, cache == null ? null : Path.of(cache), out);

    Timing timing = new Timing();
    Scored normalSet = detect(normalFile, embeddings, detector, timing, out);
    Verdict[] normal = normalSet.verdicts();
    List<Scored> anomalousSets = new ArrayList<>();
    List<DetectionEvaluation> evaluations = new ArrayList<>();
    List<Verdict[]> allAnomalous = new ArrayList<>();
    for (String file : anomalousFiles) {
      Scored scored = detect(file, embeddings, detector, timing, out);
      anomalousSets.add(scored);
      Verdict[] anomalous = scored.verdicts();
      allAnomalous.add(anomalous);
      evaluations.add(DetectionEvaluation.of(file, detector.scoreKind(), normal, anomalous));
    }
    DetectionEvaluation overall =
        DetectionEvaluation.of(
            "all",
            detector.scoreKind(),
            normal,
            allAnomalous.stream().flatMap(Arrays::stream).toArray(Verdict[]::new));
    if (evaluations.size() > 1) {
      evaluations.add(overall);
    }

    out.printf(
        "%-60s %7s %7s %7s %9s %7s %7s %7s %7s %8s%n",
        "anomalous set", "n", "AUROC", "recall", "precision", "F1", "FAR", "TP", "FP", "best F1");
    for (DetectionEvaluation evaluation : evaluations) {
      ConfusionCounts counts = evaluation.atDecision();
      out.printf(
          Locale.ROOT,
          "%-60s %7d %7.4f %7.4f %9.4f %7.4f %7.4f %7d %7d %8.4f%n",
          evaluation.name(),
          evaluation.anomalousCount(),
          evaluation.auroc(),
          counts.recall(),
          counts.precision(),
          counts.f1(),
          counts.falseAlarmRate(),
          counts.truePositives(),
          counts.falsePositives(),
          evaluation.bestF1().counts().f1());
    }
    double messagesPerSecond = timing.messages / timing.seconds;
    out.printf(
        Locale.ROOT,
        "throughput: %.1f messages/s (%s)%n",
        messagesPerSecond,
        timing.embeddedAll
            ? "embedding and scoring"
            : "scoring only: some embeddings came from the cache");

    ObjectNode summary = summary(overall, detector, messagesPerSecond, timing.embeddedAll);
    ObjectNode perFile = summary.putObject("per_file");
    for (DetectionEvaluation evaluation : evaluations.subList(0, anomalousFiles.size())) {
      perFile.set(evaluation.name(), metrics(evaluation));
    }
    Path report = Path.of(options.getReport());
    writeReport(
        report,
        stored,
        embedder,
        detector,
        overall,
        normalSet,
        anomalousSets,
        summary,
        OptionValues.blankToNull(options.getDetections()));
    out.println("report: " + report.toAbsolutePath());
    out.println(Json.MAPPER.writeValueAsString(summary));
    return summary;
  }

  /** One scored input file: its texts, their embeddings and the verdicts. */
  private record Scored(String file, List<String> texts, float[][] vectors, Verdict[] verdicts) {
    String className() {
      return Path.of(file).getFileName().toString();
    }

    double[] scores(ScoreKind kind) {
      return Arrays.stream(verdicts).mapToDouble(v -> v.score(kind)).toArray();
    }

    boolean[] flagged() {
      boolean[] flagged = new boolean[verdicts.length];
      for (int i = 0; i < verdicts.length; i++) {
        flagged[i] = verdicts[i].anomalous();
      }
      return flagged;
    }
  }

  private static void writeReport(
      Path file,
      StoredModel stored,
      SentenceEmbedder embedder,
      AnomalyDetector detector,
      DetectionEvaluation overall,
      Scored normal,
      List<Scored> anomalous,
      ObjectNode summary,
      String detectionsDirectory)
      throws IOException {
    ScoreKind score = detector.scoreKind();
    // under the cluster rule there is no score threshold: mark the best-F1 one instead
    double threshold =
        detector.rule() == DecisionRule.SCORE ? detector.threshold() : overall.bestF1().threshold();
    EvaluationReport.Builder report =
        EvaluationReport.builder(score.id(), threshold)
            .title("Detection quality of model " + stored.metadata().modelName())
            .modelVersion(detector.modelVersion())
            .embeddingModel(embedder.modelId())
            .normalScores(normal.scores(score))
            .embeddings(
                "normal",
                normal.vectors(),
                normal.flagged(),
                normal.texts().toArray(String[]::new));
    for (Scored set : anomalous) {
      report
          .anomalousScores(set.className(), set.scores(score))
          .embeddings(
              set.className(), set.vectors(), set.flagged(), set.texts().toArray(String[]::new));
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    summary
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isValueNode()) {
                figures.put(
                    e.getKey(),
                    e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
              }
            });
    report.summary(figures);
    if (detectionsDirectory != null) {
      report.detections(DetectionRowFiles.read(Path.of(detectionsDirectory)));
    }
    report.build().writeHtml(file);
  }

  /** Where the time went: embedding (unless cached) plus scoring, over every message. */
  private static final class Timing {
    long messages;
    double seconds;
    boolean embeddedAll = true;
  }

  private static Scored detect(
      String file,
      TextEmbeddings embeddings,
      AnomalyDetector detector,
      Timing timing,
      PrintStream out)
      throws Exception {
    CorpusTexts texts = CorpusTexts.read(file, Set.of());
    out.println(texts.describe());
    long start = System.nanoTime();
    TextEmbeddings.Vectors vectors = embeddings.embed(file, texts.texts());
    Verdict[] verdicts = detector.score(vectors.vectors());
    timing.seconds += (System.nanoTime() - start) / 1e9;
    timing.messages += verdicts.length;
    timing.embeddedAll &= !vectors.fromCache();
    return new Scored(file, texts.texts(), vectors.vectors(), verdicts);
  }

  private static ObjectNode summary(
      DetectionEvaluation overall,
      AnomalyDetector detector,
      double messagesPerSecond,
      boolean embeddedAll) {
    ObjectNode summary = metrics(overall);
    summary.put("best_threshold", overall.bestF1().threshold());
    summary.put("n_normal", overall.normalCount());
    summary.put("n_anomalous", overall.anomalousCount());
    summary.put("messages_per_second", Math.round(messagesPerSecond * 10) / 10.0);
    summary.put("throughput_includes_embedding", embeddedAll);
    summary.put("model_version", detector.modelVersion());
    summary.put("score", detector.scoreKind().id());
    summary.put("decision", detector.describeDecision());
    if (detector.rule() == DecisionRule.SCORE) {
      summary.put("threshold", detector.threshold());
    }
    return summary;
  }

  private static ObjectNode metrics(DetectionEvaluation evaluation) {
    ConfusionCounts counts = evaluation.atDecision();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("auroc", round(evaluation.auroc()));
    node.put("precision", round(counts.precision()));
    node.put("recall", round(counts.recall()));
    node.put("f1", round(counts.f1()));
    node.put("false_alarm_rate", round(counts.falseAlarmRate()));
    node.put("true_positives", counts.truePositives());
    node.put("false_positives", counts.falsePositives());
    node.put("true_negatives", counts.trueNegatives());
    node.put("false_negatives", counts.falseNegatives());
    node.put("best_f1", round(evaluation.bestF1().counts().f1()));
    return node;
  }

  private static double round(double value) {
    return Math.round(value * 1e4) / 1e4;
  }
}
