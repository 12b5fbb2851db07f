package dev.anomalystream.core.evaluation;

import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.Verdict;
import java.util.Arrays;

/**
 * How a detector did on normal messages and one set of anomalous ones: the score's ranking quality
 * (AUROC, best F1 over all thresholds) and the outcome of the detector's own decision.
 *
 * @param name what the anomalous set is, e.g. its file
 * @param score the score evaluated
 * @param normalCount normal messages
 * @param anomalousCount anomalous messages
 * @param auroc the chance an anomalous message scores above a normal one
 * @param atDecision the counts of the detector's own decision
 * @param bestF1 the threshold on the score with the best F1, and its counts
 */
public record DetectionEvaluation(
    String name,
    ScoreKind score,
    int normalCount,
    int anomalousCount,
    double auroc,
    ConfusionCounts atDecision,
    ScoreEvaluation.BestF1 bestF1) {

  public static DetectionEvaluation of(
      String name, ScoreKind score, Verdict[] normal, Verdict[] anomalous) {
    ScoreEvaluation evaluation =
        new ScoreEvaluation(scores(normal, score), scores(anomalous, score));
    long truePositives = Arrays.stream(anomalous).filter(Verdict::anomalous).count();
    long falsePositives = Arrays.stream(normal).filter(Verdict::anomalous).count();
    ConfusionCounts atDecision =
        new ConfusionCounts(
            truePositives,
            falsePositives,
            normal.length - falsePositives,
            anomalous.length - truePositives);
    return new DetectionEvaluation(
        name,
        score,
        normal.length,
        anomalous.length,
        evaluation.auroc(),
        atDecision,
        evaluation.bestF1());
  }

  private static double[] scores(Verdict[] verdicts, ScoreKind score) {
    return Arrays.stream(verdicts).mapToDouble(d -> d.score(score)).toArray();
  }
}
