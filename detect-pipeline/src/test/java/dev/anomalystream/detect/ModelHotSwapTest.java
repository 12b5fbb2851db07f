package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.beam.BigQueryServicesOptions;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.testing.PubsubEmulator;
import dev.anomalystream.core.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running detector follows the model store's LATEST pointer: a new version serves new messages
 * without a restart, a pointer to a version that cannot load leaves the current one serving, and no
 * message is lost on the way.
 */
class ModelHotSwapTest {
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();
  private static final String PROJECT = PubsubEmulator.PROJECT;
  @TempDir Path models;

  @Test
  void switchesToANewVersionMidStreamAndIgnoresABrokenOne() throws Exception {
    List<String> tweets =
        SyntheticCorpus.tweets(700, 21).stream().map(SyntheticCorpus.Tweet::text).toList();
    String v1 =
        TestModels.trainAndPublish(
                tweets.subList(0, 300),
                models.toString(),
                "tweets",
                0.05,
                Instant.parse("2026-11-23T08:00:00Z"))
            .version();

    PUBSUB.createTopic("swap");
    PUBSUB.createSubscription("swap-detector", "swap");
    FakeDatasetService bigQuery = new FakeDatasetService();
    FakeDatasetService.setUp();
    bigQuery.createDataset(PROJECT, "swap", "", "", null);
    List<String> args = new ArrayList<>(PUBSUB.beamArgs());
    args.addAll(
        List.of(
            "--subscription=swap-detector",
            "--model=" + models,
            "--modelName=tweets",
            "--modelRefreshSeconds=1",
            "--outputTable=" + PROJECT + ":swap.detections",
            "--maxBatchWaitMillis=200",
            "--blockOnRun=false"));
    DetectOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(DetectOptions.class);
    options
        .as(BigQueryServicesOptions.class)
        .setBigQueryServices(
            new FakeBigQueryServices()
                .withDatasetService(bigQuery)
                .withJobService(new FakeJobService()));
    PipelineResult result = DetectPipeline.run(options);
    List<String> published = new ArrayList<>();
    try {
      int next = 600;
      for (; next < 610; next++) {
        published.add(publish(next, tweets.get(next)));
      }
      awaitRows(bigQuery, published.size());

      String v2 =
          TestModels.trainAndPublish(
                  tweets.subList(300, 600),
                  models.toString(),
                  "tweets",
                  0.05,
                  Instant.parse("2026-11-23T09:00:00Z"))
              .version();
      // probe until the new version serves; every probe is a message that must get its row too
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (versionsSeen(bigQuery).size() < 2 && System.nanoTime() < deadline) {
        published.add(publish(next, tweets.get(next)));
        next++;
        Thread.sleep(1000);
      }
      assertEquals(Set.of(v1, v2), versionsSeen(bigQuery));

      // LATEST now names a version that does not exist: v2 must keep serving
      Files.writeString(
          models.resolve("tweets").resolve(ModelStore.LATEST_FILE), "20991231T000000Z\n");
      Thread.sleep(3000);
      List<String> afterBrokenPointer = new ArrayList<>();
      for (int i = 0; i < 5; i++, next++) {
        afterBrokenPointer.add(publish(next, tweets.get(next)));
      }
      published.addAll(afterBrokenPointer);
      List<TableRow> rows = awaitRows(bigQuery, published.size());

      Map<String, Long> perUid =
          rows.stream()
              .collect(Collectors.groupingBy(r -> (String) r.get("uid"), Collectors.counting()));
      assertEquals(Set.copyOf(published), perUid.keySet(), "no message lost");
      assertTrue(perUid.values().stream().allMatch(n -> n == 1), "one row each");
      assertTrue(
          rows.stream()
              .filter(r -> afterBrokenPointer.contains(r.get("uid")))
              .allMatch(r -> v2.equals(r.get("model_version"))),
          "the broken version never served");
    } finally {
      result.cancel();
    }
  }

  private static String publish(int index, String text) {
    String uid = "swap-" + index;
    PUBSUB.publish("swap", text.getBytes(StandardCharsets.UTF_8), Map.of("uid", uid));
    return uid;
  }

  private static Set<Object> versionsSeen(FakeDatasetService bigQuery) {
    return rows(bigQuery).stream().map(r -> r.get("model_version")).collect(Collectors.toSet());
  }

  private static List<TableRow> rows(FakeDatasetService bigQuery) {
    try {
      return bigQuery.getAllRows(PROJECT, "swap", "detections");
    } catch (Exception e) {
      return List.of();
    }
  }

  private static List<TableRow> awaitRows(FakeDatasetService bigQuery, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    List<TableRow> rows = rows(bigQuery);
    while (rows.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(500);
      rows = rows(bigQuery);
    }
    assertEquals(count, rows.size(), "rows so far: " + rows.size());
    return rows;
  }
}
