package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.testing.TestModels;
import dev.anomalystream.core.testing.TestReleases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/models} on a store with two real versions (trained here on made-up tweets). */
class ManageModelsTest {
  @TempDir static Path root;
  private static String older;
  private static String newer;

  @BeforeAll
  static void twoVersions() throws Exception {
    List<String> texts =
        SyntheticCorpus.tweets(700, 21).stream().map(SyntheticCorpus.Tweet::text).toList();
    older =
        TestModels.trainAndPublish(
                texts.subList(0, 300),
                root.toString(),
                "tweets",
                0.05,
                Instant.parse("2026-11-28T08:00:00Z"))
            .version();
    newer =
        TestModels.trainAndPublish(
                texts.subList(300, 600),
                root.toString(),
                "tweets",
                0.05,
                Instant.parse("2026-11-29T08:00:00Z"))
            .version();
  }

  private static JsonNode run(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--modelRoot=" + root, "--modelName=tweets"));
    all.addAll(List.of(args));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonNode summary =
        ManageModels.run(
            PipelineOptionsFactory.fromArgs(all.toArray(String[]::new))
                .withValidation()
                .as(ManageModels.ManageModelsOptions.class),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(summary.toString(), lines[lines.length - 1], "the last line is the summary");
    return summary;
  }

  @Test
  void listsPromotesRollsBackAndRecordsWhoAndWhy() throws Exception {
    JsonNode listed = run("--command=list");
    assertEquals(2, listed.get("versions").size());
    assertEquals(older, listed.get("versions").get(0).get("version").asText());
    assertTrue(listed.get("versions").get(1).get("latest").asBoolean(), "training published it");
    assertEquals(0.05, listed.get("versions").get(1).get("targetFalseAlarmRate").asDouble());
    assertEquals("knn", listed.get("versions").get(1).get("score").asText());

    JsonNode promoted =
        run("--command=promote", "--version=" + older, "--by=alice", "--reason=fewer alarms");
    assertEquals(newer, promoted.get("change").get("previous").asText());
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    assertEquals(Optional.of(older), store.readLatest());

    run("--command=rollback", "--by=bob", "--reason=recall dropped");
    assertEquals(Optional.of(newer), store.readLatest());

    JsonNode history = run("--command=history").get("history");
    List<String> actions = new ArrayList<>();
    history.forEach(h -> actions.add(h.get("action").asText() + ":" + h.get("by").asText()));
    assertEquals("promote:alice", actions.get(actions.size() - 2));
    assertEquals("rollback:bob", actions.get(actions.size() - 1));
    assertEquals("recall dropped", history.get(history.size() - 1).get("reason").asText());
  }

  @Test
  void listAndShowTellAReleasesGroupModels(@TempDir Path dir) throws Exception {
    ModelStore store = ModelStore.open(dir.toString(), "grouped");
    String version =
        TestReleases.trainAndPublish(
                store,
                TestReleases.groups(List.of("sport", "weather"), 250, 16, 7),
                new ModelMetadata.Embedding("test-embedding", 16, "mean", "l2"),
                Instant.parse("2026-11-29T08:00:00Z"))
            .version();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    JsonNode listed = ManageModels.run(options(dir, "--command=list"), out);
    assertEquals(2, listed.get("versions").get(0).get("groups").asInt());
    JsonNode shown = ManageModels.run(options(dir, "--command=show", "--version=" + version), out);
    assertEquals(
        List.of("sport", "weather"),
        List.copyOf(
            new java.util.TreeSet<>(
                Json.MAPPER.convertValue(shown.get("groups"), Map.class).keySet())));
    assertEquals("sport", shown.get("groups").get("sport").get("directory").asText());
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("\"groups\" : {"), "printed");
  }

  private static ManageModels.ManageModelsOptions options(Path dir, String... args) {
    List<String> all = new ArrayList<>(List.of("--modelRoot=" + dir, "--modelName=grouped"));
    all.addAll(List.of(args));
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new))
        .withValidation()
        .as(ManageModels.ManageModelsOptions.class);
  }

  @Test
  void diffComparesMetadataAndTheDecisionsOnAFile(@TempDir Path dir) throws Exception {
    Path texts = dir.resolve("texts.txt");
    List<String> lines = new ArrayList<>();
    SyntheticCorpus.tweets(730, 21).subList(700, 730).forEach(t -> lines.add(t.text()));
    lines.addAll(SyntheticCorpus.offTopic(5, 1));
    Files.write(texts, lines);

    JsonNode diff =
        run("--command=diff", "--version=" + older, "--against=" + newer, "--texts=" + texts);
    // trained a day apart on other tweets
    assertEquals(List.of(older, newer), values(diff.get("metadata").get("version")));
    assertTrue(diff.get("metadata").has("created_at"), diff.toString());
    JsonNode scores = diff.get("scores");
    assertEquals(35, scores.get(0).get("messages").asInt());
    JsonNode agreement = diff.get("agreement");
    assertEquals(
        scores.get(0).get("flagged").asInt(),
        agreement.get("both").asInt() + agreement.get("only_" + older).asInt());
    assertEquals(
        scores.get(1).get("flagged").asInt(),
        agreement.get("both").asInt() + agreement.get("only_" + newer).asInt());
    assertTrue(agreement.get("both").asInt() >= 3, "the off-topic texts, by both: " + diff);
  }

  private static List<String> values(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void aCommandWithoutItsVersionSaysWhatItNeeds() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run("--command=promote"));
    assertTrue(e.getMessage().contains("--version"), e.getMessage());
  }
}
