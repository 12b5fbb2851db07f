package dev.anomalystream.bench;

import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.model.Calibration;
import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.KnnScorer;
import dev.anomalystream.core.model.ModelTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * The drift statistic ({@link DriftReference}) against a binomial tail on the flagged count alone,
 * on real embeddings: a model is fitted on emotion tweets (kNN score, 1 % false-alarm threshold,
 * drift reference), then windows are drawn and judged by both at the default target false drift
 * rate and a one-minute slide. Windows: validation tweets (the false drift rate), validation tweets
 * with a share of off-topic texts (a rise of anomalies), and validation tweets of only some emotion
 * classes (a shift among normal topics that flags few messages). The last line printed is one JSON
 * object.
 */
public final class DriftStatisticComparison {
  private static final double SLIDE_MINUTES = 1;

  /** The options of the comparison. */
  public interface DriftStatisticComparisonOptions extends PipelineOptions {
    @Description("Training corpus, text;label a line")
    @Default.String("../shared/data/emotion/train.txt")
    String getTrain();

    void setTrain(String value);

    @Description("Normal texts the windows are drawn from, text;label a line")
    @Default.String("../shared/data/emotion/validation.txt")
    String getValidation();

    void setValidation(String value);

    @Description("Directory of off-topic texts, one a line in each .txt file")
    @Default.String("../shared/data/anomalies-dev/normalized")
    String getOffTopic();

    void setOffTopic(String value);

    @Description("Training texts fitted (a seeded sample of the corpus)")
    @Default.Integer(6000)
    int getFitTexts();

    void setFitTexts(int value);

    @Description("Further training texts held out to calibrate on")
    @Default.Integer(2000)
    int getCalibrationTexts();

    void setCalibrationTexts(int value);

    @Description("Off-topic texts embedded (a seeded sample)")
    @Default.Integer(1000)
    int getOffTopicTexts();

    void setOffTopicTexts(int value);

    @Description("Messages per window")
    @Default.Integer(100)
    int getWindowMessages();

    void setWindowMessages(int value);

    @Description("Windows drawn per scenario")
    @Default.Integer(2000)
    int getWindows();

    void setWindows(int value);

    @Description("Share of off-topic messages in the rise scenario")
    @Default.Double(0.2)
    double getOffTopicShare();

    void setOffTopicShare(double value);

    @Description("Emotion classes of the shift scenario, comma-separated")
    @Default.String("sadness,anger")
    String getShiftClasses();

    void setShiftClasses(String value);
  }

  private record Labelled(String text, String label) {}

  /** Messages a window can be drawn from: their vectors and the model's flags. */
  private record Pool(float[][] vectors, boolean[] flagged) {
    int size() {
      return vectors.length;
    }
  }

  private DriftStatisticComparison() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(DriftStatisticComparisonOptions.class);
    DriftStatisticComparisonOptions options =
        PipelineOptionsFactory.fromArgs(args).as(DriftStatisticComparisonOptions.class);
    Random random = new Random(ModelTrainer.DEFAULT_SEED);
    List<Labelled> train = read(Path.of(options.getTrain()));
    Collections.shuffle(train, random);
    List<Labelled> fit = train.subList(0, options.getFitTexts());
    List<Labelled> calibration =
        train.subList(options.getFitTexts(), options.getFitTexts() + options.getCalibrationTexts());
    List<Labelled> validation = read(Path.of(options.getValidation()));
    List<String> offTopic = readOffTopic(Path.of(options.getOffTopic()));
    Collections.shuffle(offTopic, random);
    offTopic = offTopic.subList(0, Math.min(options.getOffTopicTexts(), offTopic.size()));
    Set<String> shiftClasses = Set.of(options.getShiftClasses().split(","));
    List<Labelled> shifted =
        validation.stream().filter(message -> shiftClasses.contains(message.label())).toList();

    long start = System.nanoTime();
    float[][] fitVectors;
    float[][] calibrationVectors;
    float[][] validationVectors;
    float[][] shiftedVectors;
    float[][] offTopicVectors;
    try (SentenceEmbedder embedder = SentenceEmbedder.open(EmbedderOptions.defaults())) {
      fitVectors = embedder.embed(texts(fit));
      calibrationVectors = embedder.embed(texts(calibration));
      validationVectors = embedder.embed(texts(validation));
      shiftedVectors = embedder.embed(texts(shifted));
      offTopicVectors = embedder.embed(offTopic);
    }
    System.out.printf(Locale.ROOT, "embedded in %.0f s%n", (System.nanoTime() - start) / 1e9);

    KnnScorer scorer = new KnnScorer(fitVectors, ModelTrainer.DEFAULT_KNN_K);
    double[] calibrationScores = scorer.score(calibrationVectors);
    Calibration threshold =
        Calibration.fromNormalScores(
            calibrationScores, Calibration.DEFAULT_TARGET_FALSE_ALARM_RATE);
    start = System.nanoTime();
    DriftReference reference =
        DriftReference.fit(
            fitVectors,
            calibrationVectors,
            flags(calibrationScores, threshold.threshold()),
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE,
            ModelTrainer.DEFAULT_SEED);
    System.out.printf(
        Locale.ROOT,
        "drift reference fitted in %.1f s: %s%n",
        (System.nanoTime() - start) / 1e9,
        reference.metadata());

    Pool normal = pool(validationVectors, scorer, threshold);
    Pool offTopicPool = pool(offTopicVectors, scorer, threshold);
    Pool shiftedPool = pool(shiftedVectors, scorer, threshold);
    int n = options.getWindowMessages();
    int offTopicMessages = (int) Math.round(options.getOffTopicShare() * n);
    double alpha = DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE * SLIDE_MINUTES / (24 * 60);
    double anomalyRate = reference.metadata().expectedAnomalyRate();
    int windows = options.getWindows();

    double[] nullRates = rates(reference, alpha, anomalyRate, windows, random, normal, n, null, 0);
    double[] riseRates =
        rates(
            reference,
            alpha,
            anomalyRate,
            windows,
            random,
            normal,
            n - offTopicMessages,
            offTopicPool,
            offTopicMessages);
    double[] shiftRates =
        rates(reference, alpha, anomalyRate, windows, random, shiftedPool, n, null, 0);
    System.out.printf(
        Locale.ROOT,
        "flagged: validation %.4f, off-topic %.4f, %s %.4f (expected anomaly rate %.4f)%n",
        share(normal.flagged()),
        share(offTopicPool.flagged()),
        shiftClasses,
        share(shiftedPool.flagged()),
        anomalyRate);
    System.out.printf(
        Locale.ROOT,
        "{\"window_messages\": %d, \"windows\": %d, \"per_window_alpha\": %.3g,"
            + " \"false_drift_rate_chi_square\": %.4f, \"false_drift_rate_binomial\": %.4f,"
            + " \"off_topic_share\": %.2f, \"detection_rate_off_topic_chi_square\": %.4f,"
            + " \"detection_rate_off_topic_binomial\": %.4f, \"shift_classes\": \"%s\","
            + " \"detection_rate_shift_chi_square\": %.4f,"
            + " \"detection_rate_shift_binomial\": %.4f}%n",
        n,
        windows,
        alpha,
        nullRates[0],
        nullRates[1],
        options.getOffTopicShare(),
        riseRates[0],
        riseRates[1],
        options.getShiftClasses(),
        shiftRates[0],
        shiftRates[1]);
  }

  /**
   * The drift rates of the chi-square statistic and of the binomial tail over {@code windows}
   * windows of {@code normalMessages} from {@code normal} and {@code extraMessages} from {@code
   * extra}, each drawn without replacement within its window.
   */
  private static double[] rates(
      DriftReference reference,
      double alpha,
      double anomalyRate,
      int windows,
      Random random,
      Pool normal,
      int normalMessages,
      Pool extra,
      int extraMessages) {
    int chiSquareDrifts = 0;
    int binomialDrifts = 0;
    BinomialDistribution binomial =
        BinomialDistribution.of(normalMessages + extraMessages, anomalyRate);
    for (int w = 0; w < windows; w++) {
      DriftReference.Counts counts = reference.newCounts();
      add(counts, normal, normalMessages, random);
      if (extra != null) {
        add(counts, extra, extraMessages, random);
      }
      DriftDecision decision = reference.decide(counts, SLIDE_MINUTES);
      chiSquareDrifts += decision.drift() ? 1 : 0;
      long flagged = counts.anomalies();
      double p = flagged == 0 ? 1 : binomial.survivalProbability((int) flagged - 1);
      binomialDrifts += p <= alpha ? 1 : 0;
    }
    return new double[] {(double) chiSquareDrifts / windows, (double) binomialDrifts / windows};
  }

  private static void add(DriftReference.Counts counts, Pool pool, int messages, Random random) {
    for (int index : distinctIndices(random, pool.size(), messages)) {
      counts.add(pool.vectors()[index], pool.flagged()[index]);
    }
  }

  private static int[] distinctIndices(Random random, int size, int count) {
    return random.ints(0, size).distinct().limit(count).toArray();
  }

  private static Pool pool(float[][] vectors, KnnScorer scorer, Calibration threshold) {
    return new Pool(vectors, flags(scorer.score(vectors), threshold.threshold()));
  }

  private static boolean[] flags(double[] scores, double threshold) {
    boolean[] flagged = new boolean[scores.length];
    for (int i = 0; i < scores.length; i++) {
      flagged[i] = scores[i] > threshold;
    }
    return flagged;
  }

  private static double share(boolean[] flags) {
    int flagged = 0;
    for (boolean flag : flags) {
      flagged += flag ? 1 : 0;
    }
    return (double) flagged / flags.length;
  }

  private static List<String> texts(List<Labelled> messages) {
    return messages.stream().map(Labelled::text).toList();
  }

  private static List<Labelled> read(Path corpus) throws IOException {
    List<Labelled> messages = new ArrayList<>();
    for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
      int separator = line.lastIndexOf(';');
      if (separator > 0) {
        messages.add(new Labelled(line.substring(0, separator), line.substring(separator + 1)));
      }
    }
    return messages;
  }

  private static List<String> readOffTopic(Path directory) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .forEach(texts::add);
      }
    }
    return texts;
  }
}
