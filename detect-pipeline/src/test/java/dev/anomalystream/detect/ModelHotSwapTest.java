package dev.anomalystream.detect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.testing.FakeBigQuery;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
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
    FakeDatasetService bigQuery = FakeBigQuery.installIn(options, PROJECT, "swap");
    PipelineResult result = DetectPipeline.run(options);
    List<String> published = new ArrayList<>();
    AtomicInteger next = new AtomicInteger(600);
    try {
      while (next.get() < 610) {
        published.add(publish(next, tweets));
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
      await("rows scored by the new version " + v2)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                published.add(publish(next, tweets));
                return versionsSeen(bigQuery);
              },
              seen -> seen.equals(Set.of(v1, v2)));

      // LATEST now names a version that does not exist: v2 must keep serving. Probe until the
      // scoring step has tried (and failed) to load it, so later messages meet the broken pointer
      Files.writeString(
          models.resolve("tweets").resolve(ModelStore.LATEST_FILE), "20991231T000000Z\n");
      List<String> afterBrokenPointer = new ArrayList<>();
      await("a failed load of the missing version")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                afterBrokenPointer.add(publish(next, tweets));
                return MetricCounts.attempted(result, LoadedDetectors.class, "model_load_failures");
              },
              failures -> failures > 0);
      for (int i = 0; i < 5; i++) {
        afterBrokenPointer.add(publish(next, tweets));
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

  /** Publishes the next unused tweet; returns its uid. */
  private static String publish(AtomicInteger next, List<String> tweets) {
    int index = next.getAndIncrement();
    String uid = "swap-" + index;
    PUBSUB.publish("swap", tweets.get(index).getBytes(StandardCharsets.UTF_8), Map.of("uid", uid));
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

  private static List<TableRow> awaitRows(FakeDatasetService bigQuery, int count) {
    return await(count + " rows")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> rows(bigQuery), rows -> rows.size() >= count);
  }
}
