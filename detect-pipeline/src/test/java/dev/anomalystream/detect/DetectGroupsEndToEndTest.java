package dev.anomalystream.detect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.testing.FakeBigQuery;
import dev.anomalystream.core.testing.PubsubEmulator;
import dev.anomalystream.core.testing.TestReleases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector with {@code --groupAttribute} on the DirectRunner, the Pub/Sub emulator in and the
 * fake BigQuery out, serving a release of two channels trained here on real embeddings: tweets and
 * recipes (a subject the tweets never touch). The global model has seen both, so a recipe is normal
 * to it; on the tweets channel the channel's own model flags it.
 */
class DetectGroupsEndToEndTest {
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();

  private static final String PROJECT = PubsubEmulator.PROJECT;
  private static final String DATASET = "grouped";
  private static final String CHANNEL = "channel";
  @TempDir static Path models;

  @BeforeAll
  static void publishRelease() throws Exception {
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.of(EndToEndModel.EMBEDDING));
    ModelMetadata.Embedding embedding = ModelMetadata.Embedding.of(embedder);
    float[][] tweets =
        embedder.embed(
            dev.anomalystream.core.dataset.SyntheticCorpus.tweets(
                    EndToEndModel.TRAINING, EndToEndModel.SEED)
                .stream()
                .map(dev.anomalystream.core.dataset.SyntheticCorpus.Tweet::text)
                .toList());
    float[][] recipes = embedder.embed(EndToEndModel.recipes(300));
    float[][] both = new float[tweets.length + recipes.length][];
    System.arraycopy(tweets, 0, both, 0, tweets.length);
    System.arraycopy(recipes, 0, both, tweets.length, recipes.length);
    Instant now = Instant.parse("2026-11-30T08:00:00Z");
    ModelTrainer.publishRelease(
        ModelStore.open(models.toString(), EndToEndModel.NAME),
        TestReleases.train(both, EndToEndModel.NAME, embedding, "tweets and recipes", now),
        List.of(
            ModelTrainer.groupModel(
                "tweets", TestReleases.train(tweets, EndToEndModel.NAME, embedding, "tweets", now)),
            ModelTrainer.groupModel(
                "kitchen",
                TestReleases.train(recipes, EndToEndModel.NAME, embedding, "recipes", now))));
  }

  @Test
  void rowsSayWhichModelScoredThemAndAMisroutedRecipeIsFlaggedOnlyByItsChannel() throws Exception {
    PUBSUB.createTopic("messages");
    PUBSUB.createSubscription("detector", "messages");
    List<String> args = new ArrayList<>(PUBSUB.beamArgs());
    args.addAll(
        List.of(
            "--subscription=detector",
            "--model=" + models,
            "--modelName=" + EndToEndModel.NAME,
            "--modelRefreshSeconds=0",
            "--groupAttribute=" + CHANNEL,
            "--outputTable=" + PROJECT + ":" + DATASET + ".detections",
            "--maxBatchWaitMillis=200",
            "--windowMinutes=0",
            "--blockOnRun=false"));
    DetectOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(DetectOptions.class);
    FakeDatasetService bigQuery = FakeBigQuery.installIn(options, PROJECT, DATASET);
    PipelineResult result = DetectPipeline.run(options);
    try {
      String tweet = EndToEndModel.unseenTweets(1).get(0);
      String recipe = EndToEndModel.recipes(301).get(300);
      publish("tweet-on-tweets", tweet, "tweets");
      publish("recipe-on-kitchen", recipe, "kitchen");
      publish("recipe-on-tweets", recipe, "tweets");
      publish("recipe-nowhere", recipe, null);
      publish("recipe-on-unknown", recipe, "garden");
      publish("recipe-on-empty", recipe, "");

      List<TableRow> rows =
          await("6 detection rows")
              .atMost(Duration.ofSeconds(180))
              .until(() -> rows(bigQuery), r -> r.size() >= 6);
      Map<String, TableRow> byUid =
          rows.stream().collect(Collectors.toMap(r -> (String) r.get("uid"), r -> r));
      Map<String, String> scopes = new HashMap<>();
      Map<String, String> anomalies = new HashMap<>();
      Map<String, Object> groups = new HashMap<>();
      byUid.forEach(
          (uid, row) -> {
            scopes.put(uid, (String) row.get("model_scope"));
            anomalies.put(uid, String.valueOf(row.get("is_anomaly")));
            groups.put(uid, row.get("group"));
          });
      assertEquals(
          Map.of(
              "tweet-on-tweets", "group",
              "recipe-on-kitchen", "group",
              "recipe-on-tweets", "group",
              "recipe-nowhere", "global",
              "recipe-on-unknown", "global",
              "recipe-on-empty", "global"),
          scopes);
      assertEquals(
          Map.of(
              "tweet-on-tweets", "false",
              "recipe-on-kitchen", "false",
              "recipe-on-tweets", "true",
              "recipe-nowhere", "false",
              "recipe-on-unknown", "false",
              "recipe-on-empty", "false"),
          anomalies);
      assertEquals("garden", groups.get("recipe-on-unknown"));
      assertEquals(null, groups.get("recipe-on-empty"), "an empty group is left out");
    } finally {
      result.cancel();
    }
    assertEquals(1, MetricCounts.attempted(result, DecodeMessages.class, "group_invalid"));
  }

  private static void publish(String uid, String text, String channel) {
    Map<String, String> attributes = new HashMap<>(Map.of("uid", uid));
    if (channel != null) {
      attributes.put(CHANNEL, channel);
    }
    PUBSUB.publish("messages", text.getBytes(StandardCharsets.UTF_8), attributes);
  }

  private static List<TableRow> rows(FakeDatasetService bigQuery) {
    try {
      return bigQuery.getAllRows(PROJECT, DATASET, "detections");
    } catch (Exception e) {
      return List.of(); // the table appears with the first insert
    }
  }
}
