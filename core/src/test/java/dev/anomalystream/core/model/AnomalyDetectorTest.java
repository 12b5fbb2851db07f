package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.cluster.Hdbscan;
import dev.anomalystream.core.cluster.HdbscanModel;
import dev.anomalystream.core.cluster.HdbscanParams;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyDetectorTest {
  private static final ModelMetadata.Embedding EMBEDDING =
      new ModelMetadata.Embedding("test-embedding", 16, "mean", "l2");

  private static HdbscanModel syntheticModel() {
    float[][] vectors = SyntheticEmbeddings.groups(new Random(5), 3, 60, 16, 0.15);
    return Hdbscan.fit(vectors, new HdbscanParams(10, 5)).model();
  }

  private static ModelMetadata metadata(
      ModelMetadata.CalibrationRecord calibration,
      List<ModelMetadata.CalibrationRecord> alternatives) {
    return new ModelMetadata(
        ModelMetadata.FORMAT_VERSION,
        "tweets",
        "v1",
        Instant.now(),
        "dev",
        EMBEDDING,
        new ModelMetadata.Hyperparameters(10, 5, 4),
        null,
        calibration,
        alternatives,
        null,
        null,
        null);
  }

  private static ModelMetadata.CalibrationRecord threshold(ScoreKind score, double threshold) {
    return new ModelMetadata.CalibrationRecord(score, threshold, 0.01, 100, 0.01, 0.01);
  }

  private static float[][] queries() {
    Random random = new Random(6);
    float[][] near = SyntheticEmbeddings.groups(random, 3, 10, 16, 0.15);
    float[][] far = SyntheticEmbeddings.uniform(random, 30, 16);
    float[][] all = Arrays.copyOf(near, near.length + far.length);
    System.arraycopy(far, 0, all, near.length, far.length);
    return all;
  }

  @Test
  void withoutAThresholdFallsBackToTheClusterRule() {
    AnomalyDetector detector =
        new AnomalyDetector(
            metadata(null, null), syntheticModel(), AnomalyDetector.Overrides.none());
    assertEquals(DecisionRule.CLUSTER, detector.rule());
    assertEquals("cluster", detector.describeDecision());
    Verdict[] verdicts = detector.score(queries());
    long flagged = Arrays.stream(verdicts).filter(Verdict::anomalous).count();
    assertTrue(flagged > 0 && flagged < verdicts.length, "flagged " + flagged);
    for (Verdict verdict : verdicts) {
      assertEquals(verdict.clusterLabel() < 0, verdict.anomalous(), verdict.toString());
      assertEquals("v1", verdict.modelVersion());
    }
  }

  @Test
  void decidesOnTheCalibratedScoreAndAnExplicitThresholdOverridesIt() {
    ModelMetadata metadata =
        metadata(threshold(ScoreKind.KNN, 0.3), List.of(threshold(ScoreKind.GLOSH, 0.5)));
    HdbscanModel model = syntheticModel();
    float[][] queries = queries();

    AnomalyDetector stored = new AnomalyDetector(metadata, model, AnomalyDetector.Overrides.none());
    assertEquals("knn>0.3000", stored.describeDecision());
    for (Verdict verdict : stored.score(queries)) {
      assertEquals(verdict.knnScore() > 0.3, verdict.anomalous(), verdict.toString());
    }

    AnomalyDetector overridden =
        new AnomalyDetector(metadata, model, new AnomalyDetector.Overrides(null, null, 0.8));
    Verdict[] verdicts = overridden.score(queries);
    for (Verdict verdict : verdicts) {
      assertEquals(verdict.knnScore() > 0.8, verdict.anomalous(), verdict.toString());
    }
    assertTrue(
        Arrays.stream(verdicts).anyMatch(v -> v.knnScore() > 0.3 && !v.anomalous()),
        "the override must change some decisions for this test to mean anything");

    AnomalyDetector glosh =
        new AnomalyDetector(
            metadata, model, new AnomalyDetector.Overrides(ScoreKind.GLOSH, null, null));
    assertEquals("glosh>0.5000", glosh.describeDecision(), "uses the stored glosh calibration");
    AnomalyDetector cluster =
        new AnomalyDetector(
            metadata, model, new AnomalyDetector.Overrides(null, DecisionRule.CLUSTER, null));
    for (Verdict verdict : cluster.score(queries)) {
      assertEquals(verdict.clusterLabel() < 0, verdict.anomalous());
    }
  }

  @Test
  void kNearestFromMetadataDriveTheKnnScore() {
    HdbscanModel model = syntheticModel();
    float[][] queries = queries();
    Verdict[] verdicts =
        new AnomalyDetector(metadata(null, null), model, AnomalyDetector.Overrides.none())
            .score(queries);
    double[] expected = new KnnScorer(model.trainingPoints(), 4).score(queries);
    for (int i = 0; i < queries.length; i++) {
      assertEquals(expected[i], verdicts[i].knnScore(), 1e-12);
    }
  }

  // A made-up corpus: three topics, held-out sentences of the same topics, and off-topic ones.
  private static final List<List<String>> TOPICS =
      List.of(
          List.of(
              "i baked a chocolate cake for my sisters birthday",
              "this pasta sauce needs more garlic and basil",
              "we grilled burgers and corn in the backyard tonight",
              "my sourdough bread finally rose properly this morning",
              "i love making pancakes with blueberries on sunday",
              "the soup simmered for hours and tasted amazing",
              "trying a new recipe for spicy chicken curry",
              "i burnt the cookies again while watching tv",
              "homemade pizza with fresh mozzarella is the best dinner",
              "chopping onions always makes me cry in the kitchen",
              "roasted vegetables with olive oil and rosemary for lunch",
              "my grandmother taught me to make apple pie",
              "the steak was cooked perfectly medium rare",
              "i made a big pot of chili for the whole family",
              "fresh lemonade and cupcakes for the picnic",
              "baking bread at home fills the house with a lovely smell",
              "i added too much salt to the mashed potatoes",
              "we cooked tacos with beans and salsa for dinner",
              "whisk the eggs and sugar before adding the flour",
              "my banana muffins came out soft and sweet",
              "simmer the tomato sauce slowly with onions",
              "i fried rice with leftover chicken and peas",
              "the lasagna needs another twenty minutes in the oven",
              "i am learning to cook thai noodles with peanuts"),
          List.of(
              "what a goal in the last minute of the match",
              "our team lost the football game on penalties",
              "the striker scored twice in the first half",
              "i cannot believe the referee gave a red card",
              "the stadium was full of fans singing all night",
              "the goalkeeper saved an incredible shot",
              "we won the league after a tough season",
              "the coach changed the formation at halftime",
              "my son played his first soccer match today",
              "the midfielder passed the ball beautifully",
              "they were relegated after losing the derby",
              "the world cup final was so exciting to watch",
              "our defence was terrible in the second half",
              "the winger crossed and the captain headed it in",
              "the match ended in a boring goalless draw",
              "the fans booed the team after another defeat",
              "he missed an open goal from two yards",
              "the transfer of the new striker cost millions",
              "the champions league game went to extra time",
              "we scored a late equaliser against the leaders",
              "the team trained hard before the cup final",
              "the penalty shootout was full of nerves",
              "our keeper was man of the match",
              "the football season starts again next weekend"),
          List.of(
              "it has been raining all day and the streets are flooded",
              "the snow storm closed every road in town",
              "such a hot sunny day at the beach",
              "thunder and lightning kept me awake last night",
              "the forecast says strong winds tomorrow",
              "fog covered the valley this morning",
              "it is freezing cold and icy outside",
              "a rainbow appeared after the summer shower",
              "the heatwave is making everyone exhausted",
              "heavy clouds are rolling in from the west",
              "the hail damaged cars all over the city",
              "a gentle breeze and clear blue skies today",
              "the temperature dropped below zero overnight",
              "the hurricane is expected to reach the coast",
              "drizzle and grey skies all week long",
              "the humid weather makes the air feel heavy",
              "frost covered the grass early this morning",
              "a tornado warning was issued for our county",
              "the sun finally came out after days of rain",
              "windy autumn weather blew the leaves everywhere",
              "it snowed so much that school was cancelled",
              "the drought has left the fields dry and brown",
              "a cold front brings showers this afternoon",
              "the weather forecast promises a warm weekend"));

  /** The project's own off-topic texts (trivia, shell instructions, spam, finance ...). */
  private static final List<String> OFF_TOPIC = SyntheticCorpus.offTopic(10, 3);

  @Test
  void offTopicSentencesScoreAboveTheThresholdAndHeldOutOnTopicOnesMostlyBelow(@TempDir Path root)
      throws IOException {
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    List<String> fit = new ArrayList<>();
    List<String> calibration = new ArrayList<>();
    List<String> heldOut = new ArrayList<>();
    for (List<String> topic : TOPICS) {
      fit.addAll(topic.subList(0, 14));
      calibration.addAll(topic.subList(14, 19));
      heldOut.addAll(topic.subList(19, 24));
    }
    ModelMetadata.Embedding embedding = ModelMetadata.Embedding.of(embedder);
    ModelTrainer.TrainedModel trained =
        ModelTrainer.train(
            embedder.embed(fit),
            embedder.embed(calibration),
            new ModelTrainer.Settings(
                "tweets",
                new HdbscanParams(5, 3),
                3,
                ScoreKind.KNN,
                0.1,
                DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE),
            embedding,
            new ModelMetadata.TrainingSource("test", "three topics", null, null, 42L),
            Instant.now());
    assertTrue(trained.publishable(), trained.refusals().toString());
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    ModelTrainer.publish(store, trained);

    AnomalyDetector detector =
        AnomalyDetector.load(
            store.loadLatest(),
            embedder.modelId(),
            embedder.dimension(),
            AnomalyDetector.Overrides.none());
    Verdict[] offTopic = detector.score(embedder.embed(OFF_TOPIC));
    Verdict[] onTopic = detector.score(embedder.embed(heldOut));
    long offTopicFlagged = Arrays.stream(offTopic).filter(Verdict::anomalous).count();
    long onTopicFlagged = Arrays.stream(onTopic).filter(Verdict::anomalous).count();
    assertEquals(OFF_TOPIC.size(), offTopicFlagged, Arrays.toString(offTopic));
    assertTrue(onTopicFlagged <= 3, onTopicFlagged + " of 15 on-topic sentences flagged");

    IncompatibleModelException e =
        assertThrows(
            IncompatibleModelException.class,
            () ->
                AnomalyDetector.load(
                    store.loadLatest(), "another-model", 768, AnomalyDetector.Overrides.none()));
    assertTrue(e.getMessage().contains("another-model"), e.getMessage());
  }
}
