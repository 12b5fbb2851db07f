package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.EmotionLabel;
import dev.anomalystream.core.dataset.MessageSelection;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.options.DeprecatedFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The command-line tools' flags as Beam parses them, old spellings included. */
class ToolOptionsTest {
  private static <T extends PipelineOptions> T parse(Class<T> type, String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }

  private static String[] rewrite(
      DeprecatedFlags flags, ByteArrayOutputStream warnings, String... args) {
    return flags.rewrite(args, new PrintStream(warnings, true, StandardCharsets.UTF_8));
  }

  @Test
  void trainAcceptsTheOldSpellingsOfKAndOutput() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    TrainModel.TrainModelOptions options =
        parse(
            TrainModel.TrainModelOptions.class,
            rewrite(
                TrainModel.DEPRECATED_FLAGS,
                warnings,
                "--input=train.txt",
                "--output=out/models",
                "--k=3"));
    assertEquals("out/models", options.getModelRoot());
    assertEquals(3, options.getKnnK());
    String said = warnings.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--k is deprecated, use --knnK"), said);
    assertTrue(said.contains("--output is deprecated, use --modelRoot"), said);
  }

  @Test
  void trainTakesClassesAsAListAndTheScoreInLowercase() {
    TrainModel.TrainModelOptions options =
        parse(
            TrainModel.TrainModelOptions.class,
            "--input=train.txt",
            "--modelRoot=out/models",
            "--classes=joy,sadness",
            "--score=glosh");
    assertEquals(List.of("joy", "sadness"), options.getClasses());
    assertEquals(
        Set.of(EmotionLabel.JOY, EmotionLabel.SADNESS),
        MessageSelection.parseClasses(options.getClasses()));
    assertEquals(ScoreKind.GLOSH, options.getScore());
  }

  @Test
  void evaluateAcceptsThresholdAsTheDecisionAndItsOldThresholdFlag() {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    EvaluateModel.EvaluateModelOptions options =
        parse(
            EvaluateModel.EvaluateModelOptions.class,
            rewrite(
                EvaluateModel.DEPRECATED_FLAGS,
                warnings,
                "--model=out/models/tweets",
                "--normal=normal.txt",
                "--anomalous=questions.txt,movies.txt",
                "--decision=threshold",
                "--threshold=0.4"));
    assertEquals(List.of("questions.txt", "movies.txt"), options.getAnomalous());
    assertEquals(DecisionRule.SCORE, options.getDecision());
    assertEquals(0.4, options.getOutlierScoreThreshold());
    assertNull(options.getScore(), "no --score keeps the model's own");
    assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("--threshold is deprecated"));
  }

  @Test
  void tuneTakesItsGridAsListsOfNumbers() {
    TuneModel.TuneModelOptions defaults =
        parse(
            TuneModel.TuneModelOptions.class,
            "--input=train.txt",
            "--normal=normal.txt",
            "--anomalous=questions.txt");
    assertEquals(List.of(5, 15, 50), defaults.getMinClusterSizes());
    assertEquals(List.of(1, 5, 15), defaults.getMinSamples());
    assertEquals(List.of(5, 10, 20), defaults.getKs());
    TuneModel.TuneModelOptions chosen =
        parse(
            TuneModel.TuneModelOptions.class,
            "--input=train.txt",
            "--normal=normal.txt",
            "--anomalous=questions.txt",
            "--ks=3,30");
    assertEquals(List.of(3, 30), chosen.getKs());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            parse(
                TuneModel.TuneModelOptions.class,
                "--input=train.txt",
                "--normal=normal.txt",
                "--anomalous=questions.txt",
                "--ks=3,many"));
  }

  @Test
  void theRetrainingNeedsAHistorySource() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse(TrainOptions.class, "--modelRoot=out/models"));
    assertTrue(e.getMessage().contains("getHistoryFiles"), e.getMessage());
    assertTrue(e.getMessage().contains("getHistoryTable"), e.getMessage());
  }
}
