package dev.anomalystream.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.evaluation.ScoreEvaluation;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.options.EmbeddingCacheOptions;
import dev.anomalystream.core.options.EmbeddingOptions;
import dev.anomalystream.core.options.HoldOutOptions;
import dev.anomalystream.core.options.OptionValues;
import dev.anomalystream.train.CorpusTexts;
import dev.anomalystream.train.LabelledCorporaOptions;
import dev.anomalystream.train.TextEmbeddings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyModel;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Tribuo's one-class SVM (libsvm, RBF kernel) on the development sets, as one more row beside the
 * detector's scores in docs/QUALITY.md: fitted on a seeded sample of the same fit rows as {@code
 * scripts/train} (libsvm's fit grows with the square of the rows), its threshold calibrated like
 * the detector's on the held-out slice, then AUROC and the decision at that threshold on the normal
 * and anomalous files. Measurement only: no version ever carries it. libsvm prints "optimization
 * finished" to stdout per fit.
 *
 * <pre>
 * OneClassSvmBenchmark --input=FILE --normal=FILE --anomalous=FILE[,FILE...]
 *   [--maxFit=4000] [--gammas=0.5,2,8] [--nus=0.01,0.1] [--targetFalseAlarmRate=0.01]
 *   [--embeddingCache=DIR]
 * </pre>
 *
 * The last line is one JSON object.
 */
public final class OneClassSvmBenchmark {
  /** The options of {@code scripts/bench-ocsvm}. */
  public interface OneClassSvmBenchmarkOptions
      extends HoldOutOptions, EmbeddingOptions, EmbeddingCacheOptions, LabelledCorporaOptions {
    @Description("Corpus file to fit on, as scripts/train would")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Fit rows the SVM is trained on at most (a seeded sample of them)")
    @Default.Integer(4000)
    int getMaxFit();

    void setMaxFit(int value);

    @Description("RBF gammas to try (comma-separated); unit vectors are at most 2 apart")
    @Default.String("0.5,2,8")
    String getGammas();

    void setGammas(String value);

    @Description("nu values to try (comma-separated): the share of fit rows left outside")
    @Default.String("0.01,0.1")
    String getNus();

    void setNus(String value);

    @Description("Share of held-out normal rows the calibrated threshold may flag")
    @Default.Double(Calibration.DEFAULT_TARGET_FALSE_ALARM_RATE)
    double getTargetFalseAlarmRate();

    void setTargetFalseAlarmRate(double value);
  }

  private OneClassSvmBenchmark() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(OneClassSvmBenchmarkOptions.class);
    OneClassSvmBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(args)
            .withValidation()
            .as(OneClassSvmBenchmarkOptions.class);
    FileSystems.setDefaultPipelineOptions(options);
    TextEmbeddings embeddings = TextEmbeddings.forOptions(options, System.out);
    SentenceEmbedder embedder = embeddings.embedder();
    ModelTrainer.HeldOut<String> split =
        ModelTrainer.splitForCalibration(
            CorpusTexts.read(options.getInput(), Set.of()).texts(),
            options.getCalibrationFraction(),
            options.getSeed());
    float[][] fit = embeddings.embed("fit", split.fit()).vectors();
    float[][] calibration = embeddings.embed("calibration", split.calibration()).vectors();
    float[][] normal =
        embeddings
            .embed(options.getNormal(), CorpusTexts.read(options.getNormal(), Set.of()).texts())
            .vectors();
    List<String> files = OptionValues.nonBlank(options.getAnomalous());
    List<float[][]> anomalous = new ArrayList<>();
    for (String file : files) {
      anomalous.add(embeddings.embed(file, CorpusTexts.read(file, Set.of()).texts()).vectors());
    }
    float[][] sample = sample(fit, options.getMaxFit(), options.getSeed());

    ObjectNode summary = Json.MAPPER.createObjectNode().put("fit_rows", sample.length);
    ArrayNode rows = summary.putArray("rows");
    for (double gamma : numbers(options.getGammas())) {
      for (double nu : numbers(options.getNus())) {
        long start = System.nanoTime();
        LibSVMAnomalyModel model = fit(sample, gamma, nu);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        Calibration threshold =
            Calibration.fromNormalScores(
                scores(model, calibration), options.getTargetFalseAlarmRate());
        double[] normalScores = scores(model, normal);
        ObjectNode row =
            rows.addObject()
                .put("gamma", gamma)
                .put("nu", nu)
                .put("support_vectors", model.getNumberOfSupportVectors())
                .put("fit_seconds", fitSeconds)
                .put("threshold", threshold.threshold())
                .put(
                    "false_alarm_rate",
                    Calibration.falseAlarmRate(normalScores, threshold.threshold()));
        StringBuilder line =
            new StringBuilder(
                String.format(
                    Locale.ROOT,
                    "ocsvm gamma=%s nu=%s (%d SV, %.0f s): false alarms %.4f",
                    gamma,
                    nu,
                    model.getNumberOfSupportVectors(),
                    fitSeconds,
                    row.get("false_alarm_rate").asDouble()));
        for (int f = 0; f < files.size(); f++) {
          double[] anomalousScores = scores(model, anomalous.get(f));
          double auroc = new ScoreEvaluation(normalScores, anomalousScores).auroc();
          double recall = Calibration.falseAlarmRate(anomalousScores, threshold.threshold());
          String name =
              Path.of(files.get(f)).getFileName().toString().replaceFirst("\\.[^.]*$", "");
          row.put("auroc_" + name, auroc).put("recall_" + name, recall);
          line.append(
              String.format(Locale.ROOT, "; %s AUROC %.4f recall %.3f", name, auroc, recall));
        }
        System.out.println(line);
      }
    }
    System.out.println(Json.MAPPER.writeValueAsString(summary));
  }

  private static LibSVMAnomalyModel fit(float[][] vectors, double gamma, double nu) {
    AnomalyFactory factory = new AnomalyFactory();
    MutableDataset<Event> data =
        new MutableDataset<>(new SimpleDataSourceProvenance("fit rows", factory), factory);
    for (float[] vector : vectors) {
      data.add(example(vector));
    }
    SVMParameters<Event> parameters =
        new SVMParameters<>(new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS), KernelType.RBF);
    parameters.setGamma(gamma);
    parameters.setNu(nu);
    return (LibSVMAnomalyModel) new LibSVMAnomalyTrainer(parameters).train(data);
  }

  /** The outlier score: minus libsvm's decision value (negative outside the learnt region). */
  private static double[] scores(LibSVMAnomalyModel model, float[][] vectors) {
    return Arrays.stream(vectors)
        .mapToDouble(vector -> -model.predict(example(vector)).getOutput().getScore())
        .toArray();
  }

  /** Names of the dimensions as libsvm features; embeddings here have at most 1,024. */
  private static final String[] FEATURE_NAMES = featureNames(1024);

  private static String[] featureNames(int dimension) {
    String[] names = new String[dimension];
    for (int d = 0; d < dimension; d++) {
      names[d] = String.format(Locale.ROOT, "d%03d", d);
    }
    return names;
  }

  private static Example<Event> example(float[] vector) {
    double[] values = new double[vector.length];
    for (int d = 0; d < vector.length; d++) {
      values[d] = vector[d];
    }
    return new ArrayExample<>(
        AnomalyFactory.EXPECTED_EVENT, Arrays.copyOf(FEATURE_NAMES, vector.length), values);
  }

  private static float[][] sample(float[][] vectors, int max, long seed) {
    if (vectors.length <= max) {
      return vectors;
    }
    List<float[]> shuffled = new ArrayList<>(Arrays.asList(vectors));
    Collections.shuffle(shuffled, new Random(seed));
    return shuffled.subList(0, max).toArray(float[][]::new);
  }

  private static double[] numbers(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .mapToDouble(Double::parseDouble)
        .toArray();
  }
}
