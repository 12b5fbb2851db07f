package dev.anomalystream.core.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.DecisionRule;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.ScoreKind;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** How Beam parses the shared options: the spellings users and scripts already type. */
class SharedOptionsTest {
  private static <T extends PipelineOptions> T parse(Class<T> type, String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
  }

  @Test
  void enumsAcceptTheLowercaseSpellingsAndThresholdIsTheScoreRule() {
    DecisionOptions options =
        parse(
            DecisionOptions.class,
            "--score=glosh",
            "--decision=threshold",
            "--outlierScoreThreshold=0.25");
    assertEquals(
        new AnomalyDetector.Overrides(ScoreKind.GLOSH, DecisionRule.SCORE, 0.25),
        DecisionOptions.overrides(options));
    assertEquals(
        DecisionRule.SCORE, parse(DecisionOptions.class, "--decision=score").getDecision());
    assertEquals(
        DecisionRule.CLUSTER, parse(DecisionOptions.class, "--decision=Cluster").getDecision());
  }

  @Test
  void decisionOptionsLeftOutKeepTheModelsOwn() {
    assertEquals(
        AnomalyDetector.Overrides.none(), DecisionOptions.overrides(parse(DecisionOptions.class)));
  }

  @Test
  void aBadValueIsAnErrorListingTheChoices() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse(DecisionOptions.class, "--decision=majority"));
    assertTrue(e.getMessage().contains("'majority'"), e.getMessage());
    assertTrue(e.getMessage().contains("cluster"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> parse(DecisionOptions.class, "--outlierScoreThreshold=high"));
  }

  @Test
  void anUnknownFlagIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse(DecisionOptions.class, "--k=3"));
    assertTrue(e.getMessage().contains("'k'"), e.getMessage());
  }

  @Test
  void trainingSettingsHaveOneSetOfDefaults() {
    TrainingOptions options = parse(TrainingOptions.class, "--modelRoot=out/models");
    assertEquals(ModelTrainer.DEFAULT_SEED, options.getSeed());
    assertEquals(ModelTrainer.DEFAULT_CALIBRATION_FRACTION, options.getCalibrationFraction());
    ModelTrainer.Settings settings = TrainingOptions.settings(options);
    assertEquals(ModelNameOptions.DEFAULT_MODEL_NAME, settings.modelName());
    assertEquals(ScoreKind.KNN, settings.score());
    assertEquals(ModelTrainer.DEFAULT_KNN_K, settings.knnK());
    assertEquals(ModelTrainer.DEFAULT_MIN_CLUSTER_SIZE, settings.hdbscan().minClusterSize());
    assertEquals(ModelTrainer.DEFAULT_MIN_SAMPLES, settings.hdbscan().minSamples());
  }

  @Test
  void trainingSettingsTakeTypedValues() {
    ModelTrainer.Settings settings =
        TrainingOptions.settings(
            parse(
                TrainingOptions.class,
                "--modelRoot=out/models",
                "--modelName=demo",
                "--score=glosh",
                "--knnK=7",
                "--targetFalseAlarmRate=0.02"));
    assertEquals("demo", settings.modelName());
    assertEquals(ScoreKind.GLOSH, settings.score());
    assertEquals(7, settings.knnK());
    assertEquals(0.02, settings.targetFalseAlarmRate());
  }

  @Test
  void theModelRootIsRequired() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse(TrainingOptions.class));
    assertTrue(e.getMessage().contains("modelRoot"), e.getMessage());
  }

  @Test
  void blankMeansNotGiven() {
    assertNull(OptionValues.blankToNull(null));
    assertNull(OptionValues.blankToNull("  "));
    assertEquals("a:b.c", OptionValues.blankToNull(" a:b.c "));
    assertEquals(List.of("a", "b"), OptionValues.nonBlank(List.of("a", " b ", " ")));
    assertEquals(List.of(), OptionValues.nonBlank(null));
  }

  @Test
  void pipelinesEmbedWithOneIntraOpThreadUnlessTold() {
    assertEquals(0, parse(EmbeddingOptions.class).getIntraOpThreads(), "tools: all cores");
    assertEquals(1, EmbeddingOptions.pipelineIntraOpThreads(parse(EmbeddingOptions.class)));
    assertEquals(
        4,
        EmbeddingOptions.pipelineIntraOpThreads(
            parse(EmbeddingOptions.class, "--intraOpThreads=4")));
  }

  @Test
  void flinksEmbeddedClusterGivesEachSubtaskItsShareOfTheCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(
        cores,
        EmbeddingOptions.pipelineIntraOpThreads(
            parse(EmbeddingOptions.class, "--runner=FlinkRunner", "--parallelism=1")),
        "one subtask: every core");
    assertEquals(
        1,
        EmbeddingOptions.pipelineIntraOpThreads(
            parse(
                EmbeddingOptions.class,
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=" + (2 * cores))),
        "more subtasks than cores: one each");
    assertEquals(
        1,
        EmbeddingOptions.pipelineIntraOpThreads(
            parse(EmbeddingOptions.class, "--runner=FlinkRunner")),
        "the embedded cluster's default parallelism is one subtask per core");
    assertEquals(
        1,
        EmbeddingOptions.pipelineIntraOpThreads(
            parse(
                EmbeddingOptions.class,
                "--runner=FlinkRunner",
                "--flinkMaster=flink-jobmanager:8081",
                "--parallelism=1")),
        "a remote cluster's slots are on other machines");
    assertEquals(
        3,
        EmbeddingOptions.pipelineIntraOpThreads(
            parse(
                EmbeddingOptions.class,
                "--runner=FlinkRunner",
                "--parallelism=1",
                "--intraOpThreads=3")),
        "the option wins");
  }
}
