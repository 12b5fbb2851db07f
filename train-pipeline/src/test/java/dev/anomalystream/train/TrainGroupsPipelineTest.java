package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelRelease;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.model.ModelTrainer;
import dev.anomalystream.core.model.StoredModel;
import dev.anomalystream.core.testing.TestReleases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retraining per group: made-up history rows of three groups, each its own region, with stored
 * vectors (so nothing is embedded), a fourth group too small for a model of its own, and a previous
 * release whose quiet groups are kept or dropped by their age.
 */
class TrainGroupsPipelineTest {
  private static final Instant PROCESSED =
      Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS);

  @TempDir Path dir;

  private static Map<String, Object> row(String uid, String group, float[] vector, String model) {
    Detection detection =
        Detection.builder()
            .setMessage(
                InboundMessage.builder()
                    .setUid(uid)
                    .setText("message " + uid)
                    .setPublishTime(PROCESSED)
                    .setGroup(group)
                    .build())
            .setCluster(0)
            .setProbability(0.5)
            .setAnomaly(false)
            .setDecision("knn>0.5000")
            .setModelVersion("v0")
            .setEmbeddingModel(model)
            .setProcessedTime(PROCESSED)
            .setEmbedding(vector)
            .setModelScope(ModelRelease.GLOBAL_SCOPE)
            .build();
    return DetectionRow.toRow(detection);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--runner=DirectRunner", "--runner=FlinkRunner"})
  void fitsOneModelPerGroupAndPublishesThemWithTheGlobalOneAsOneRelease(String runner)
      throws Exception {
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    ModelMetadata.Embedding embedding = ModelMetadata.Embedding.of(embedder);
    TestReleases.Groups groups =
        TestReleases.groups(List.of("a", "b", "c", "small"), 250, embedder.dimension(), 41);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, float[][]> group : groups.vectors().entrySet()) {
      float[][] vectors = group.getValue();
      int count = group.getKey().equals("small") ? 40 : vectors.length;
      for (int i = 0; i < count; i++) {
        String uid = group.getKey() + "-" + i;
        lines.add(
            Json.MAPPER.writeValueAsString(
                row(uid, group.getKey(), vectors[i], embedder.modelId())));
      }
    }
    Files.createDirectories(dir.resolve("rows"));
    Files.write(dir.resolve("rows/detections-0.json"), lines);

    // the previous release: a group quiet for 3 days (kept) and one for 60 (dropped)
    ModelStore store = ModelStore.open(dir.resolve("models").toString(), "tweets");
    TestReleases.Groups quiet =
        TestReleases.groups(List.of("quiet", "gone"), 250, embedder.dimension(), 42);
    Instant now = Instant.now();
    ModelTrainer.publishRelease(
        store,
        TestReleases.train(
            quiet.vectors().get("quiet"),
            "tweets",
            embedding,
            "before",
            now.minus(3, ChronoUnit.DAYS)),
        List.of(
            ModelTrainer.groupModel(
                "quiet",
                TestReleases.train(
                    quiet.vectors().get("quiet"),
                    "tweets",
                    embedding,
                    "quiet",
                    now.minus(3, ChronoUnit.DAYS))),
            ModelTrainer.groupModel(
                "gone",
                TestReleases.train(
                    quiet.vectors().get("gone"),
                    "tweets",
                    embedding,
                    "gone",
                    now.minus(60, ChronoUnit.DAYS)))));
    String quietVersion = store.loadLatest().groups().get("quiet").metadata().version();

    TrainOptions options =
        PipelineOptionsFactory.fromArgs(
                "--historyFiles=" + dir.resolve("rows") + "/*.json",
                "--modelRoot=" + dir.resolve("models"),
                "--modelName=tweets",
                "--minClusterSize=10",
                "--knnK=5",
                "--targetFalseAlarmRate=0.1",
                "--calibrationFraction=0.2",
                "--groupAttribute=channel",
                "--minGroupSize=100",
                "--groupRetentionDays=30",
                "--reportDirectory=" + dir.resolve("report"),
                "--tempLocation=" + dir.resolve("tmp"),
                runner,
                "--flinkMaster=[local]",
                "--parallelism=2")
            .withValidation()
            .as(TrainOptions.class);
    PipelineResult result = TrainPipeline.run(options);
    result.waitUntilFinish();

    JsonNode report =
        Json.MAPPER.readTree(Files.readString(dir.resolve("report").resolve("report.json")));
    assertTrue(report.get("published").asBoolean(), report.toString());
    JsonNode byGroup = report.get("groups");
    assertEquals("fitted", byGroup.get("a").get("model").asText(), report.toString());
    assertEquals(250, byGroup.get("a").get("rows").asInt());
    assertEquals("none", byGroup.get("small").get("model").asText());
    assertTrue(byGroup.get("small").get("reason").asText().contains("--minGroupSize=100"));
    assertEquals("kept", byGroup.get("quiet").get("model").asText());
    assertEquals(quietVersion, byGroup.get("quiet").get("trained_in_version").asText());
    assertFalse(byGroup.has("gone"), "a model older than the retention is dropped");
    assertEquals(3, MetricCounts.attempted(result, FitGroupModels.class, "group_models_fitted"));
    assertEquals(1, MetricCounts.attempted(result, FitGroupModels.class, "groups_without_model"));

    StoredModel release = store.loadLatest();
    assertEquals(report.get("version").asText(), release.metadata().version());
    assertEquals(Set.of("a", "b", "c", "quiet"), release.groups().keySet());
    assertEquals(
        (long) 3 * 250 + 40, release.metadata().training().source().rowCount(), "global: all rows");
    assertEquals(250L, release.groups().get("a").metadata().training().source().rowCount());

    ModelRelease loaded =
        ModelRelease.load(
            release, embedder.modelId(), embedder.dimension(), AnomalyDetector.Overrides.none());
    int flaggedByB = 0;
    int flaggedByGlobal = 0;
    for (int seed = 0; seed < 10; seed++) {
      float[] fromA = groups.near("a", 900 + seed);
      flaggedByB +=
          loaded.route("b").detector().score(new float[][] {fromA})[0].anomalous() ? 1 : 0;
      flaggedByGlobal +=
          loaded.route(null).detector().score(new float[][] {fromA})[0].anomalous() ? 1 : 0;
    }
    assertEquals(10, flaggedByB, "b's model flags a's normal");
    assertTrue(flaggedByGlobal <= 2, "the global model knows a's region: " + flaggedByGlobal);
  }
}
