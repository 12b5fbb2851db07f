package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ScoreKind;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.options.ModelNameOptions;
import dev.anomalystream.core.text.TermStatistics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train and evaluate tools end to end on a small corpus made here, with the real embedder. */
class TrainAndEvaluateTest {
  private static final String[] FOODS = {
    "pasta", "soup", "cake", "curry", "bread", "pancakes", "pizza", "cookies"
  };
  private static final String[] COOKING_FEELINGS = {
    "i feel so proud of the %s i cooked tonight;joy",
    "i feel sad that the %s i baked was ruined;sadness",
    "i am furious that my %s burnt in the oven;anger"
  };
  private static final String[] PETS = {
    "puppy", "kitten", "rabbit", "parrot", "hamster", "pony", "tortoise"
  };
  private static final String[] PET_FEELINGS = {
    "i feel so much love for my little %s;love",
    "i am scared the %s is sick again;fear",
    "i feel happy playing with my %s in the garden;joy"
  };

  /** The project's own off-topic texts (trivia, shell instructions, spam, finance ...). */
  private static final List<String> OFF_TOPIC = SyntheticCorpus.offTopic(6, 3);

  @TempDir static Path data;
  private static Path corpus;
  private static Path heldOut;
  private static Path offTopic;

  @BeforeAll
  static void writeCorpus() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String food : FOODS) {
      for (String template : COOKING_FEELINGS) {
        lines.add(String.format(template, food));
      }
    }
    for (String pet : PETS) {
      for (String template : PET_FEELINGS) {
        lines.add(String.format(template, pet));
      }
    }
    corpus = Files.write(data.resolve("train.txt"), lines);
    heldOut =
        Files.write(
            data.resolve("held-out.txt"),
            List.of(
                "i feel proud of the lasagna i cooked tonight;joy",
                "i am furious that my cookies burnt in the oven;anger",
                "i feel so much love for my little goldfish;love",
                "i am scared the puppy is sick;fear"));
    offTopic = Files.write(data.resolve("off-topic.txt"), OFF_TOPIC);
  }

  private static String run(ToolRun tool) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      tool.run(out);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** Trains the small corpus's model with settings its 27 rows support; returns the log. */
  private static String trainSmallModel(Path models, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + corpus,
                "--modelRoot=" + models,
                "--minClusterSize=4",
                "--minSamples=2",
                "--knnK=3",
                "--calibrationFraction=0.4",
                "--targetFalseAlarmRate=0.2"));
    args.addAll(List.of(more));
    int[] status = new int[1];
    String log = run(out -> status[0] = TrainModel.run(args.toArray(String[]::new), out));
    assertEquals(0, status[0], log);
    return log;
  }

  private interface ToolRun {
    void run(PrintStream out) throws Exception;
  }

  @Test
  void trainsPublishesAndEvaluatesAModel(@TempDir Path models) throws Exception {
    String log = trainSmallModel(models, "--targetFalseDriftRate=0.5");
    assertTrue(log.contains("published"), log);
    assertTrue(log.contains("drift: score >= "), log);
    ModelStore store = ModelStore.open(models.toString(), ModelNameOptions.DEFAULT_MODEL_NAME);
    StoredModel stored = store.loadLatest();
    ModelMetadata metadata = stored.metadata();
    assertEquals(ScoreKind.KNN, metadata.calibration().score());
    assertEquals(27, metadata.training().rowCount(), "45 lines less a 40 % calibration slice");
    assertEquals(0.5, metadata.drift().targetFalseDriftRate());
    assertEquals(metadata.drift(), DriftReference.load(stored).orElseThrow().metadata());
    assertEquals(27, TermStatistics.load(stored).orElseThrow().documents(), "the fitted texts");
    assertEquals(EmbeddingModelSpec.defaultModel().modelId(), metadata.embedding().modelId());

    ObjectNode[] summary = new ObjectNode[1];
    String evaluation =
        run(
            out ->
                summary[0] =
                    EvaluateModel.run(
                        new String[] {
                          "--model=" + models.resolve(ModelNameOptions.DEFAULT_MODEL_NAME),
                          "--normal=" + heldOut,
                          "--anomalous=" + offTopic,
                          "--report=" + models.resolve("report.html")
                        },
                        out));
    String lastLine = evaluation.strip().substring(evaluation.strip().lastIndexOf('\n') + 1);
    assertEquals(summary[0].toString(), lastLine);
    for (String key :
        List.of(
            "auroc",
            "precision",
            "recall",
            "f1",
            "false_alarm_rate",
            "best_threshold",
            "best_f1",
            "n_normal",
            "n_anomalous",
            "messages_per_second")) {
      assertTrue(summary[0].has(key), key + " missing from " + lastLine);
    }
    assertEquals(4, summary[0].get("n_normal").asInt());
    assertEquals(OFF_TOPIC.size(), summary[0].get("n_anomalous").asInt());
    assertTrue(summary[0].get("auroc").asDouble() > 0.9, lastLine);
    assertTrue(summary[0].get("recall").asDouble() > 0.8, lastLine);
    Document report = Jsoup.parse(models.resolve("report.html").toFile());
    assertTrue(
        report.body().text().contains(offTopic.getFileName().toString()),
        "the report names the anomalous file");
    assertFalse(report.select("svg").isEmpty(), "the report draws its charts");
  }

  @Test
  void trainsAModelPerClassWithTheGlobalOneAsOneRelease(@TempDir Path models) throws Exception {
    String log = trainSmallModel(models, "--groupColumn=label", "--minGroupSize=8");
    StoredModel release =
        ModelStore.open(models.toString(), ModelNameOptions.DEFAULT_MODEL_NAME).loadLatest();
    // 8 foods x joy, sadness, anger and 7 pets x love, fear, joy: joy has 15 rows, the rest 8 or 7
    assertEquals(Set.of("joy"), release.groups().keySet(), log);
    assertTrue(log.contains("group fear: 7 rows"), "fewer than --minGroupSize: " + log);
    assertTrue(log.contains("group love: 7 rows"), log);
    // 8 rows pass the size, but 2 held out cannot calibrate within the gate
    assertTrue(log.contains("group anger: refused"), log);
    assertTrue(log.contains("group sadness: refused"), log);
    assertEquals(15, release.groups().get("joy").metadata().training().source().rowCount());
    assertEquals(27, release.metadata().training().rowCount(), "the global model: every row");
  }

  @Test
  void theGateRefusesAndPublishesNothing(@TempDir Path models) throws Exception {
    int[] status = new int[1];
    // the spellings of earlier releases (--output, --k), as users' scripts still have them
    String log =
        run(
            out ->
                status[0] =
                    TrainModel.run(
                        new String[] {
                          "--input=" + corpus,
                          "--output=" + models,
                          "--minClusterSize=30",
                          "--k=3",
                          "--score=glosh",
                          "--calibrationFraction=0.3"
                        },
                        out));
    assertEquals(2, status[0], log);
    assertFalse(
        Files.exists(models.resolve(ModelNameOptions.DEFAULT_MODEL_NAME).resolve("LATEST")));
  }

  @Test
  void misspeltOptionsAndMissingFilesAreClearErrors(@TempDir Path models) {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainModel.run(new String[] {"--inptu=x", "--output=" + models}, System.out));
    assertTrue(unknown.getMessage().contains("'inptu'"), unknown.getMessage());
    IOException missing =
        assertThrows(
            IOException.class,
            () ->
                TrainModel.run(
                    new String[] {"--input=" + data.resolve("nope.txt"), "--output=" + models},
                    System.out));
    assertTrue(missing.getMessage().contains("nope.txt"), missing.getMessage());
  }
}
