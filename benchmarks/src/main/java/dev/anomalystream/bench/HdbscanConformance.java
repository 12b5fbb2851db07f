package dev.anomalystream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanModel;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.cluster.HdbscanResult;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one conformance case (the reference library's fit and predictions on a data set, as JSON:
 * see {@code benchmarks/src/test/resources/conformance/hdbscan/README.md}) through {@link Hdbscan}
 * and compares.
 *
 * <p>Partitions are compared up to relabelling: each of our clusters maps to the reference cluster
 * most of its points are in, noise must be noise, and a point counts as agreeing when its mapped
 * label equals the reference label. Shared by the conformance test and the {@code
 * scripts/hdbscan-conformance} main.
 */
public final class HdbscanConformance {
  /** Bars from the project brief. */
  public static final double MAX_DIFFERING_TRAINING_FRACTION = 0.01;

  public static final double MIN_QUERY_AGREEMENT = 0.98;
  public static final double MAX_VALUE_ERROR = 1e-3;

  private HdbscanConformance() {}

  /**
   * How one case compares. A training point "differs" when its label (after relabelling) or its
   * probability or outlier score is off by more than {@link #MAX_VALUE_ERROR}; the brief allows up
   * to 1% of such points (ties, which the reference breaks in an order we cannot reproduce). Query
   * values are compared on the queries whose label agrees.
   *
   * @param maxAgreeingError largest probability or outlier-score difference over the training
   *     points that do not differ, i.e. how close the rest gets
   * @param maxTrainingError largest difference over all training points
   */
  public record Report(
      String name,
      int trainingSize,
      int querySize,
      int clusters,
      int referenceClusters,
      int differingTrainingPoints,
      double maxAgreeingError,
      double maxTrainingError,
      double queryAgreement,
      double maxAgreeingQueryError,
      double maxQueryError) {

    public double differingTrainingFraction() {
      return (double) differingTrainingPoints / trainingSize;
    }

    public boolean passes() {
      return differingTrainingFraction() <= MAX_DIFFERING_TRAINING_FRACTION
          && queryAgreement >= MIN_QUERY_AGREEMENT
          && maxAgreeingQueryError <= MAX_VALUE_ERROR;
    }

    @Override
    public String toString() {
      return String.format(
          "%s: %d points, %d clusters (reference %d); %d points differ (%.2f%%), max error"
              + " elsewhere %.2e, max error overall %.2e; %d queries, labels agree %.2f%%, max"
              + " error on agreeing %.2e, max error overall %.2e -> %s",
          name,
          trainingSize,
          clusters,
          referenceClusters,
          differingTrainingPoints,
          100 * differingTrainingFraction(),
          maxAgreeingError,
          maxTrainingError,
          querySize,
          100 * queryAgreement,
          maxAgreeingQueryError,
          maxQueryError,
          passes() ? "PASS" : "FAIL");
    }
  }

  public static Report run(String name, InputStream json) throws IOException {
    JsonNode root = Json.MAPPER.readTree(json);
    JsonNode params = required(root, "params", name);
    HdbscanParams hdbscanParams =
        new HdbscanParams(
            required(params, "min_cluster_size", name).asInt(),
            required(params, "min_samples", name).asInt());
    HdbscanResult result = Hdbscan.fit(matrix(root, "train", name), hdbscanParams);
    HdbscanModel.Prediction[] predictions =
        result.model().approximatePredict(matrix(root, "queries", name));

    int[] referenceLabels = ints(root, "labels", name);
    int[] referenceQueryLabels = ints(root, "query_labels", name);
    Map<Integer, Integer> toReference = majorityMapping(result.labels(), referenceLabels);
    double[] referenceProbabilities = doubles(root, "probabilities", name);
    double[] referenceScores = doubles(root, "outlier_scores", name);
    int differing = 0;
    double maxAgreeingError = 0;
    double maxTrainingError = 0;
    for (int i = 0; i < referenceLabels.length; i++) {
      double error =
          Math.max(
              error(result.probabilities()[i], referenceProbabilities[i]),
              error(result.outlierScores()[i], referenceScores[i]));
      maxTrainingError = Math.max(maxTrainingError, error);
      if (toReference.get(result.labels()[i]) != referenceLabels[i] || error > MAX_VALUE_ERROR) {
        differing++;
      } else {
        maxAgreeingError = Math.max(maxAgreeingError, error);
      }
    }
    double[] referenceQueryProbabilities = doubles(root, "query_probabilities", name);
    double[] referenceQueryScores = doubles(root, "query_outlier_scores", name);
    int agreeingQueries = 0;
    double maxAgreeingQueryError = 0;
    double maxQueryError = 0;
    for (int q = 0; q < predictions.length; q++) {
      double error =
          Math.max(
              error(predictions[q].probability(), referenceQueryProbabilities[q]),
              error(predictions[q].outlierScore(), referenceQueryScores[q]));
      maxQueryError = Math.max(maxQueryError, error);
      // a label no training point carries has no mapping and counts as disagreeing
      if (toReference.getOrDefault(predictions[q].label(), Integer.MIN_VALUE)
          == referenceQueryLabels[q]) {
        agreeingQueries++;
        maxAgreeingQueryError = Math.max(maxAgreeingQueryError, error);
      }
    }
    return new Report(
        name,
        referenceLabels.length,
        predictions.length,
        result.clusterCount(),
        (int) Arrays.stream(referenceLabels).filter(label -> label >= 0).distinct().count(),
        differing,
        maxAgreeingError,
        maxTrainingError,
        (double) agreeingQueries / predictions.length,
        maxAgreeingQueryError,
        maxQueryError);
  }

  /** NaN (which the reference can produce) only matches NaN. */
  private static double error(double ours, double reference) {
    if (Double.isNaN(ours) || Double.isNaN(reference)) {
      return Double.isNaN(ours) && Double.isNaN(reference) ? 0.0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(ours - reference);
  }

  /**
   * Each of our labels to the reference label most of its training points carry; noise to noise.
   */
  private static Map<Integer, Integer> majorityMapping(int[] ours, int[] reference) {
    Map<Integer, Map<Integer, Integer>> counts = new HashMap<>();
    for (int i = 0; i < ours.length; i++) {
      if (ours[i] >= 0) {
        counts
            .computeIfAbsent(ours[i], label -> new HashMap<>())
            .merge(reference[i], 1, Integer::sum);
      }
    }
    Map<Integer, Integer> mapping = new HashMap<>();
    mapping.put(-1, -1);
    counts.forEach(
        (label, referenceCounts) ->
            mapping.put(
                label,
                referenceCounts.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey()));
    return mapping;
  }

  private static JsonNode required(JsonNode node, String field, String caseName) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(
          "conformance case " + caseName + " has no field '" + field + "'");
    }
    return value;
  }

  private static float[][] matrix(JsonNode root, String field, String caseName) {
    JsonNode rows = required(root, field, caseName);
    float[][] matrix = new float[rows.size()][];
    for (int row = 0; row < rows.size(); row++) {
      JsonNode values = rows.get(row);
      matrix[row] = new float[values.size()];
      for (int d = 0; d < values.size(); d++) {
        matrix[row][d] = (float) values.get(d).asDouble();
      }
    }
    return matrix;
  }

  private static int[] ints(JsonNode root, String field, String caseName) {
    JsonNode values = required(root, field, caseName);
    int[] result = new int[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i).asInt();
    }
    return result;
  }

  private static double[] doubles(JsonNode root, String field, String caseName) {
    JsonNode values = required(root, field, caseName);
    double[] result = new double[values.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = values.get(i).asDouble();
    }
    return result;
  }
}
