package dev.anomalystream.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Made-up but plausible evaluation data: a normal set, two anomalous files, a detector run. */
final class SampleReports {
  static final String HOSTILE_TEXT = "</title><script>alert('pwned')</script> & \"quotes\"";
  static final int NORMAL_COUNT = 4000;
  static final int SPAM_COUNT = 150;
  static final int GIBBERISH_COUNT = 60;
  static final int DIMENSION = 16;
  static final double THRESHOLD = 0.62;

  private SampleReports() {}

  static EvaluationReport.Builder builder() {
    Random random = new Random(5);
    double[] normal = scores(random, NORMAL_COUNT, 0.35, 0.1);
    double[] spam = scores(random, SPAM_COUNT, 0.75, 0.12);
    double[] gibberish = scores(random, GIBBERISH_COUNT, 0.6, 0.2);
    EvaluationReport.Builder builder =
        EvaluationReport.builder("knn", THRESHOLD)
            .title("Evaluation of model 2026-11-23T09-00")
            .modelVersion("2026-11-23T09-00")
            .embeddingModel("all-MiniLM-L6-v2 (quantised)")
            .generatedAt(Instant.parse("2026-11-23T10:15:00Z"))
            .normalScores(normal)
            .anomalousScores("spam.csv", spam)
            .anomalousScores("gibberish.csv", gibberish);
    addEmbeddings(builder, random, "normal", normal, 0);
    addEmbeddings(builder, random, "spam.csv", spam, 2.5);
    addEmbeddings(builder, random, "gibberish.csv", gibberish, -2);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("n_normal", NORMAL_COUNT);
    summary.put("n_anomalous", SPAM_COUNT + GIBBERISH_COUNT);
    summary.put("auroc", 0.9312);
    summary.put("precision", 0.71);
    summary.put("recall", 0.64);
    summary.put("f1", 0.673);
    summary.put("false_alarm_rate", 0.012);
    summary.put("threshold", THRESHOLD);
    summary.put("messages_per_second", 1843.7);
    return builder.summary(summary).detections(detections(random));
  }

  private static double[] scores(Random random, int count, double centre, double spread) {
    double[] scores = new double[count];
    for (int i = 0; i < count; i++) {
      scores[i] = Math.max(0, centre + random.nextGaussian() * spread);
    }
    return scores;
  }

  /** Embeddings around a class centre; the first message of each class is hostile markup. */
  private static void addEmbeddings(
      EvaluationReport.Builder builder,
      Random random,
      String className,
      double[] scores,
      double offset) {
    float[][] vectors = new float[scores.length][DIMENSION];
    boolean[] flagged = new boolean[scores.length];
    String[] texts = new String[scores.length];
    for (int i = 0; i < scores.length; i++) {
      for (int j = 0; j < DIMENSION; j++) {
        double spread = j < 2 ? 1.5 : 0.4;
        vectors[i][j] = (float) (random.nextGaussian() * spread + (j % 3 == 0 ? offset : 0));
      }
      flagged[i] = scores[i] > THRESHOLD;
      texts[i] = i == 0 ? HOSTILE_TEXT : className + " message " + i;
    }
    builder.embeddings(className, vectors, flagged, texts);
  }

  /** Forty minutes of detector output with a burst of anomalies in the middle. */
  private static List<Map<String, Object>> detections(Random random) {
    Instant start = Instant.parse("2026-11-23T09:20:00Z");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int minute = 0; minute < 40; minute++) {
      int messages = 80 + random.nextInt(40);
      double rate = minute >= 18 && minute < 24 ? 0.2 : 0.02;
      for (int m = 0; m < messages; m++) {
        Instant processed = start.plusSeconds(minute * 60L + random.nextInt(60));
        rows.add(
            Map.of(
                "processed_time", processed.toString(), "is_anomaly", random.nextDouble() < rate));
      }
    }
    return rows;
  }
}
