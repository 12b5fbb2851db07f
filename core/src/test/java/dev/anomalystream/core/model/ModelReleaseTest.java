package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.testing.TestReleases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release of per-group models: each group judged by its own normal; retention of old groups. */
class ModelReleaseTest {
  private static final ModelMetadata.Embedding EMBEDDING =
      new ModelMetadata.Embedding("test-embedding", 16, "mean", "l2");
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path root;

  private static boolean flagged(ModelRelease release, String group, float[] point) {
    return release.route(group).detector().score(new float[][] {point})[0].anomalous();
  }

  @Test
  void aGroupsModelFlagsAnotherGroupsNormalThatTheGlobalModelAccepts() throws IOException {
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    TestReleases.Groups groups = TestReleases.groups(List.of("a", "b", "c"), 250, 16, 3);
    ModelMetadata stored = TestReleases.trainAndPublish(store, groups, EMBEDDING, NOW);
    ModelRelease release =
        ModelRelease.load(
            store.loadLatest(), "test-embedding", 16, AnomalyDetector.Overrides.none());

    assertEquals(3, release.groupCount());
    assertEquals(stored.version(), release.version());
    int crossFlaggedByGroup = 0;
    int crossFlaggedByGlobal = 0;
    int ownFlagged = 0;
    for (int seed = 0; seed < 20; seed++) {
      float[] fromA = groups.near("a", 1000 + seed);
      ownFlagged += flagged(release, "a", fromA) ? 1 : 0;
      crossFlaggedByGroup += flagged(release, "b", fromA) ? 1 : 0;
      crossFlaggedByGlobal += flagged(release, null, fromA) ? 1 : 0;
    }
    assertEquals(20, crossFlaggedByGroup, "group b's model flags every point of a's region");
    assertTrue(
        crossFlaggedByGlobal <= 3, "the global model knows a's region: " + crossFlaggedByGlobal);
    assertTrue(ownFlagged <= 3, "a's model accepts its own region: " + ownFlagged);

    assertEquals(ModelRelease.GROUP_SCOPE, release.route("b").scope());
    assertEquals(ModelRelease.GLOBAL_SCOPE, release.route("unknown").scope());
    assertEquals(ModelRelease.GLOBAL_SCOPE, release.route(null).scope());
    assertEquals(release.global(), release.route("unknown").detector());
    assertNotEquals(release.global(), release.route("b").detector());
  }

  @Test
  void aReleaseWithAnIncompatibleGroupModelIsRefusedWhole() throws IOException {
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    TestReleases.Groups groups = TestReleases.groups(List.of("a", "b"), 250, 16, 4);
    ModelTrainer.TrainedModel global =
        TestReleases.train(groups.vectors().get("a"), "tweets", EMBEDDING, "a", NOW);
    ModelTrainer.TrainedModel otherEmbedding =
        TestReleases.train(
            groups.vectors().get("b"),
            "tweets",
            new ModelMetadata.Embedding("another-embedding", 16, "mean", "l2"),
            "b",
            NOW);
    ModelTrainer.publishRelease(
        store, global, List.of(ModelTrainer.groupModel("b", otherEmbedding)));
    IncompatibleModelException e =
        assertThrows(
            IncompatibleModelException.class,
            () ->
                ModelRelease.load(
                    store.loadLatest(), "test-embedding", 16, AnomalyDetector.Overrides.none()));
    assertTrue(e.getMessage().contains("another-embedding"), e.getMessage());
  }

  @Test
  void aQuietGroupKeepsItsModelWithinTheRetentionAndLosesItAfter() throws IOException {
    ModelStore store = ModelStore.open(root.toString(), "tweets");
    TestReleases.Groups groups = TestReleases.groups(List.of("a", "b"), 250, 16, 5);
    TestReleases.trainAndPublish(store, groups, EMBEDDING, NOW);
    StoredModel previous = store.loadLatest();

    Instant later = NOW.plus(Duration.ofDays(3));
    Map<String, StoredModel> kept =
        GroupRetention.kept(previous, Set.of("a"), Duration.ofDays(7), later);
    assertEquals(Set.of("b"), kept.keySet(), "a is trained again, b is quiet and young enough");
    assertEquals(Map.of(), GroupRetention.kept(previous, Set.of("a"), Duration.ofDays(2), later));
    assertEquals(Map.of(), GroupRetention.kept(previous, Set.of("a"), Duration.ZERO, later));
    assertEquals(Map.of(), GroupRetention.kept(null, Set.of(), Duration.ofDays(7), later));

    ModelTrainer.TrainedModel global =
        TestReleases.train(groups.vectors().get("a"), "tweets", EMBEDDING, "a", later);
    ModelTrainer.TrainedModel a =
        TestReleases.train(groups.vectors().get("a"), "tweets", EMBEDDING, "a", later);
    ModelTrainer.publishRelease(
        store,
        global,
        List.of(ModelTrainer.groupModel("a", a), ModelStore.GroupModel.kept("b", kept.get("b"))));
    StoredModel next = store.loadLatest();
    assertEquals(Set.of("a", "b"), next.groups().keySet());
    assertEquals(
        previous.groups().get("b").metadata(),
        next.groups().get("b").metadata(),
        "the kept model is stored unchanged, its training time with it");
    assertEquals(ModelStore.versionNameFor(later), next.groups().get("a").metadata().version());
    assertFalse(
        Files.exists(
            root.resolve("tweets/" + next.metadata().version() + "/groups/b/groups.json")));
  }
}
