package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.testing.TestReleases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  private static final String V1 = "20261123T090000Z";
  private static final String V2 = "20261124T090000Z";
  private static final String V3 = "20261125T090000Z";

  @TempDir Path root;

  private ModelStore store() {
    return ModelStore.open(root.toString(), "tweets");
  }

  private void write(String version, ModelMetadata metadata) throws IOException {
    store().writeVersion(metadata, Map.of("hdbscan.bin", out -> out.write(version.getBytes())));
  }

  private void write(String version) throws IOException {
    write(version, ModelMetadataTest.sample(version));
  }

  @Test
  void listsEveryVersionWithItsFiguresAndMarksLatest() throws IOException {
    write(V1);
    write(V2);
    store().publishLatest(V1);
    List<ModelRegistry.VersionSummary> versions = new ModelRegistry(store()).list();
    assertEquals(
        List.of(V1, V2), versions.stream().map(ModelRegistry.VersionSummary::version).toList());
    ModelRegistry.VersionSummary first = versions.get(0);
    assertTrue(first.latest());
    assertFalse(versions.get(1).latest());
    assertEquals("knn", first.score());
    assertEquals(0.61, first.threshold());
    assertEquals(0.01, first.targetFalseAlarmRate());
    assertEquals(0.011, first.crossCheckedFalseAlarmRate());
    assertEquals(14_400, first.trainingRows());
    assertEquals(2, first.clusters());
    assertEquals("sentence-transformers/all-MiniLM-L6-v2", first.embeddingModel());
  }

  @Test
  void promotionAndRollbackMoveLatestAndAreRecorded() throws IOException {
    write(V1);
    write(V2);
    write(V3);
    ModelStore store = store();
    store.publishLatest(V2); // as training publishes
    ModelRegistry registry = new ModelRegistry(store);

    LatestChange promoted = registry.promote(V3, "alice", "better recall on the outage set");
    assertEquals(Optional.of(V3), store.readLatest());
    assertEquals(V2, promoted.previous());

    LatestChange rolledBack = registry.rollback("bob", "too many false alarms");
    assertEquals(Optional.of(V2), store.readLatest(), "back to what LATEST named before");
    assertEquals(V3, rolledBack.previous());

    List<LatestChange> history = store.history();
    assertEquals(
        List.of(LatestChange.TRAIN, LatestChange.PROMOTE, LatestChange.ROLLBACK),
        history.stream().map(LatestChange::action).toList());
    LatestChange recorded = history.get(1);
    assertEquals(V3, recorded.version());
    assertEquals("alice", recorded.by());
    assertEquals("better recall on the outage set", recorded.reason());
    assertNull(history.get(0).previous(), "nothing was published before the first version");
  }

  @Test
  void aStoreWithoutHistoryRollsBackToTheNextOlderVersion() throws IOException {
    write(V1);
    write(V2);
    store().publishLatest(V2);
    // as a store written before changes were recorded
    try (var files = Files.list(root.resolve("tweets").resolve(ModelStore.HISTORY_DIRECTORY))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    new ModelRegistry(store()).rollback("carol", "undo");
    assertEquals(Optional.of(V1), store().readLatest());
  }

  @Test
  void refusesACorruptVersionAndLeavesLatestAsItWas() throws IOException {
    write(V1);
    write(V2);
    store().publishLatest(V1);
    Files.writeString(root.resolve("tweets").resolve(V2).resolve("hdbscan.bin"), "tampered");
    IOException refused =
        assertThrows(IOException.class, () -> new ModelRegistry(store()).promote(V2, "x", "y"));
    assertTrue(refused.getMessage().contains("corrupt"), refused.getMessage());
    assertEquals(Optional.of(V1), store().readLatest());
  }

  @Test
  void nothingToRollBackToIsAClearError() throws IOException {
    write(V1);
    store().publishLatest(V1);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> new ModelRegistry(store()).rollback("x", "y"));
    assertTrue(e.getMessage().contains(V1), e.getMessage());
  }

  @Test
  void diffNamesEachMetadataValueThatDiffers() throws IOException {
    write(V1);
    ModelMetadata other = ModelMetadataTest.sample(V2);
    write(
        V2,
        new ModelMetadata(
            other.formatVersion(),
            other.modelName(),
            other.version(),
            other.createdAt(),
            other.codeVersion(),
            other.embedding(),
            new ModelMetadata.Hyperparameters(25, 5, 10),
            other.training(),
            other.calibration(),
            other.alternativeCalibrations(),
            other.drift(),
            other.autoencoder(),
            other.fileSha256()));
    Map<String, List<String>> differences = new ModelRegistry(store()).diffMetadata(V1, V2);
    assertEquals(List.of(V1, V2), differences.get("version"));
    assertEquals(List.of("15", "25"), differences.get("hyperparameters.min_cluster_size"));
    assertEquals(2, differences.size(), differences.toString());
  }

  @Test
  void diffNamesTheGroupsAReleaseAddedDroppedOrRetrained() throws IOException {
    ModelMetadata.Embedding embedding =
        new ModelMetadata.Embedding("test-embedding", 16, "mean", "l2");
    ModelMetadata first =
        TestReleases.trainAndPublish(
            store(),
            TestReleases.groups(List.of("a", "b"), 250, 16, 3),
            embedding,
            Instant.parse("2026-11-23T10:00:00Z"));
    ModelMetadata second =
        TestReleases.trainAndPublish(
            store(),
            TestReleases.groups(List.of("a", "c"), 250, 16, 4),
            embedding,
            Instant.parse("2026-11-24T10:00:00Z"));
    Map<String, List<String>> differences =
        new ModelRegistry(store()).diffMetadata(first.version(), second.version());
    assertEquals(
        Arrays.asList(first.version(), second.version()),
        differences.get("release.groups.a.trained_in_version"),
        differences.toString());
    assertNull(differences.get("release.groups.b.row_count").get(1), "b was dropped");
    assertNull(differences.get("release.groups.c.row_count").get(0), "c was added");
  }
}
