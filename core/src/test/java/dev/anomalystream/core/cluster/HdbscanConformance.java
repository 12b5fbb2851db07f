package dev.anomalystream.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs one conformance case (the reference library's fit and predictions on a data set, as JSON:
 * see {@code conformance/hdbscan/README.md}) through {@link Hdbscan} and compares.
 *
 * <p>Partitions are compared up to relabelling: each of our clusters maps to the reference cluster
 * most of its points are in, noise must be noise, and a point counts as agreeing when its mapped
 * label equals the reference label. Shared by the conformance test and the
 * {@code scripts/hdbscan-conformance} main.
 */
public final class HdbscanConformance {
  /** Bars from the project brief. */
  public static final double MIN_TRAINING_AGREEMENT = 0.99;
  public static final double MIN_QUERY_AGREEMENT = 0.98;
  public static final double MAX_VALUE_ERROR = 1e-3;

  private HdbscanConformance() {}

  /** Agreement fractions and largest absolute differences (over all points) for one case. */
  public record Report(String name, int trainingSize, int querySize, int clusters, int referenceClusters,
      double trainingAgreement, double maxProbabilityError, double maxOutlierScoreError,
      double queryAgreement, double maxQueryProbabilityError, double maxQueryOutlierScoreError) {

    public boolean passes() {
      return trainingAgreement >= MIN_TRAINING_AGREEMENT && queryAgreement >= MIN_QUERY_AGREEMENT
          && maxProbabilityError <= MAX_VALUE_ERROR && maxOutlierScoreError <= MAX_VALUE_ERROR
          && maxQueryProbabilityError <= MAX_VALUE_ERROR && maxQueryOutlierScoreError <= MAX_VALUE_ERROR;
    }

    @Override
    public String toString() {
      return String.format(
          "%s: %d points, %d clusters (reference %d); training agreement %.4f, max |Δprobability| %.2e,"
              + " max |Δoutlier score| %.2e; %d queries, agreement %.4f, max |Δprobability| %.2e,"
              + " max |Δoutlier score| %.2e -> %s",
          name, trainingSize, clusters, referenceClusters, trainingAgreement, maxProbabilityError,
          maxOutlierScoreError, querySize, queryAgreement, maxQueryProbabilityError, maxQueryOutlierScoreError,
          passes() ? "PASS" : "FAIL");
    }
  }

  public static Report run(String name, InputStream json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode params = required(root, "params", name);
    HdbscanParams hdbscanParams = new HdbscanParams(
        required(params, "min_cluster_size", name).asInt(), required(params, "min_samples", name).asInt());
    HdbscanResult result = Hdbscan.fit(matrix(root, "train", name), hdbscanParams);
    HdbscanModel.Prediction[] predictions = result.model().approximatePredict(matrix(root, "queries", name));

    int[] referenceLabels = ints(root, "labels", name);
    int[] referenceQueryLabels = ints(root, "query_labels", name);
    Map<Integer, Integer> toReference = majorityMapping(result.labels(), referenceLabels);
    int[] queryLabels = new int[predictions.length];
    double[] queryProbabilities = new double[predictions.length];
    double[] queryScores = new double[predictions.length];
    for (int q = 0; q < predictions.length; q++) {
      queryLabels[q] = predictions[q].label();
      queryProbabilities[q] = predictions[q].probability();
      queryScores[q] = predictions[q].outlierScore();
    }
    return new Report(name, referenceLabels.length, referenceQueryLabels.length, result.clusterCount(),
        (int) java.util.Arrays.stream(referenceLabels).filter(label -> label >= 0).distinct().count(),
        agreement(result.labels(), referenceLabels, toReference),
        maxError(result.probabilities(), doubles(root, "probabilities", name)),
        maxError(result.outlierScores(), doubles(root, "outlier_scores", name)),
        agreement(queryLabels, referenceQueryLabels, toReference),
        maxError(queryProbabilities, doubles(root, "query_probabilities", name)),
        maxError(queryScores, doubles(root, "query_outlier_scores", name)));
  }

  /** Each of our labels to the reference label most of its training points carry; noise to noise. */
  private static Map<Integer, Integer> majorityMapping(int[] ours, int[] reference) {
    Map<Integer, Map<Integer, Integer>> counts = new HashMap<>();
    for (int i = 0; i < ours.length; i++) {
      if (ours[i] >= 0) {
        counts.computeIfAbsent(ours[i], label -> new HashMap<>()).merge(reference[i], 1, Integer::sum);
      }
    }
    Map<Integer, Integer> mapping = new HashMap<>();
    mapping.put(-1, -1);
    counts.forEach((label, referenceCounts) -> mapping.put(label,
        referenceCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
    return mapping;
  }

  private static double agreement(int[] ours, int[] reference, Map<Integer, Integer> toReference) {
    if (ours.length != reference.length) {
      throw new IllegalStateException(ours.length + " labels against " + reference.length + " reference labels");
    }
    int agreeing = 0;
    for (int i = 0; i < ours.length; i++) {
      // a query label no training point carries cannot exist, but map unknowns to "disagree"
      if (toReference.getOrDefault(ours[i], Integer.MIN_VALUE) == reference[i]) {
        agreeing++;
      }
    }
    return (double) agreeing / ours.length;
  }

  private static double maxError(double[] ours, double[] reference) {
    double max = 0;
    for (int i = 0; i < ours.length; i++) {
      double error = Math.abs(ours[i] - reference[i]);
      max = Double.isNaN(error) ? Double.POSITIVE_INFINITY : Math.max(max, error);
    }
    return max;
  }

  private static JsonNode required(JsonNode node, String field, String caseName) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("conformance case " + caseName + " has no field '" + field + "'");
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
