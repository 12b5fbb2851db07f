package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.model.ModelMetadata;
import dev.anomalystream.core.model.ModelRelease;
import dev.anomalystream.core.model.ModelStore;
import dev.anomalystream.core.testing.TestModels;
import dev.anomalystream.core.testing.TestReleases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedDetectorsTest {
  @TempDir Path models;

  /** A small model trained on made-up tweets and published under {@code name}; its version. */
  private String trainAndPublish(String name, String at) throws Exception {
    List<String> texts =
        SyntheticCorpus.tweets(150, 5).stream().map(SyntheticCorpus.Tweet::text).toList();
    return TestModels.trainAndPublish(texts, models.toString(), name, 0.05, Instant.parse(at))
        .version();
  }

  @Test
  void aBrokenVersionFallsBackOnlyToTheLastGoodModelOfItsOwnLocation() throws Exception {
    String good = trainAndPublish("good", "2026-11-23T08:00:00Z");
    Files.createDirectories(models.resolve("other"));
    ModelLocation goodLocation = ModelLocation.of(models.toString(), "good");
    ModelLocation otherLocation = ModelLocation.of(models.toString(), "other");
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    AnomalyDetector.Overrides none = AnomalyDetector.Overrides.none();

    LoadedDetectors.Selection served =
        LoadedDetectors.forVersion(
            good, goodLocation, embedder.modelId(), embedder.dimension(), none);
    assertNotNull(served.detector());

    // another location's missing version: no model of its own ever loaded, so nothing to serve
    LoadedDetectors.Selection other =
        LoadedDetectors.forVersion(
            "missing", otherLocation, embedder.modelId(), embedder.dimension(), none);
    assertNull(other.detector());
    assertNotNull(other.cause(), "the load exception is kept for the dead letter");

    // the same location's broken version: the last good one of that location keeps serving
    LoadedDetectors.Selection fallback =
        LoadedDetectors.forVersion(
            "missing", goodLocation, embedder.modelId(), embedder.dimension(), none);
    assertEquals(good, fallback.detector().modelVersion());
  }

  @Test
  void holdsOnlyTheTwoMostRecentVersionsAndStillFallsBack() throws Exception {
    List<String> versions = new ArrayList<>();
    for (int day = 1; day <= 3; day++) {
      versions.add(trainAndPublish("daily", "2026-11-2" + day + "T02:00:00Z"));
    }
    ModelLocation location = ModelLocation.of(models.toString(), "daily");
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    AnomalyDetector.Overrides none = AnomalyDetector.Overrides.none();
    List<AnomalyDetector> first = new ArrayList<>();
    for (String version : versions) {
      first.add(
          LoadedDetectors.forVersion(
                  version, location, embedder.modelId(), embedder.dimension(), none)
              .detector());
    }

    assertEquals(
        versions.subList(1, 3),
        LoadedDetectors.heldVersions(location, embedder.modelId(), none),
        "the first day's model is unloaded");

    // a version that cannot load still falls back to the newest good one
    LoadedDetectors.Selection fallback =
        LoadedDetectors.forVersion(
            "missing", location, embedder.modelId(), embedder.dimension(), none);
    assertEquals(versions.get(2), fallback.detector().modelVersion());

    // the previous version is still held: a thread on the old side input gets the same instance
    assertSame(
        first.get(1),
        LoadedDetectors.forVersion(
                versions.get(1), location, embedder.modelId(), embedder.dimension(), none)
            .detector());
    // the evicted one, asked for again, is loaded again, and pushes out the least recently used
    AnomalyDetector reloaded =
        LoadedDetectors.forVersion(
                versions.get(0), location, embedder.modelId(), embedder.dimension(), none)
            .detector();
    assertNotSame(first.get(0), reloaded);
    assertEquals(versions.get(0), reloaded.modelVersion());
    assertEquals(
        List.of(versions.get(1), versions.get(0)),
        LoadedDetectors.heldVersions(location, embedder.modelId(), none));
  }

  @Test
  void aReleaseWithACorruptGroupModelIsRefusedWholeAndThePreviousReleaseServes() throws Exception {
    ModelStore store = ModelStore.open(models.toString(), "grouped");
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    ModelMetadata.Embedding embedding = ModelMetadata.Embedding.of(embedder);
    TestReleases.Groups groups =
        TestReleases.groups(List.of("a", "b"), 250, embedder.dimension(), 21);
    String first =
        TestReleases.trainAndPublish(
                store, groups, embedding, Instant.parse("2026-11-23T08:00:00Z"))
            .version();
    String second =
        TestReleases.trainAndPublish(
                store, groups, embedding, Instant.parse("2026-11-24T08:00:00Z"))
            .version();
    Path groupFile =
        models.resolve("grouped/" + second + "/groups/b/" + AnomalyDetector.HDBSCAN_FILE);
    byte[] bytes = Files.readAllBytes(groupFile);
    bytes[bytes.length / 2] ^= 1;
    Files.write(groupFile, bytes);
    ModelLocation location = ModelLocation.of(models.toString(), "grouped");
    AnomalyDetector.Overrides none = AnomalyDetector.Overrides.none();

    LoadedDetectors.Selection served =
        LoadedDetectors.forVersion(first, location, embedder.modelId(), embedder.dimension(), none);
    assertEquals(2, served.release().groupCount());
    LoadedDetectors.Selection afterCorruption =
        LoadedDetectors.forVersion(
            second, location, embedder.modelId(), embedder.dimension(), none);
    assertSame(
        served.release(),
        afterCorruption.release(),
        "not the new global model with the old group b: the old release whole");
    assertEquals(first, afterCorruption.release().route("b").detector().modelVersion());
  }

  @Test
  void aReleaseTheLaunchLoadedIsServedWithoutReadingItAgain() throws Exception {
    String version = trainAndPublish("launched", "2026-11-24T08:00:00Z");
    ModelLocation location = ModelLocation.of(models.toString(), "launched");
    SentenceEmbedder embedder = SharedEmbedders.get(EmbedderOptions.defaults());
    AnomalyDetector.Overrides none = AnomalyDetector.Overrides.none();
    ModelRelease launched =
        ModelRelease.load(location.load(version), embedder.modelId(), embedder.dimension(), none);
    LoadedDetectors.add(version, location, embedder.modelId(), none, launched);
    // gone from the store: only the release handed over can serve it now
    try (var files = Files.walk(models.resolve("launched"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    LoadedDetectors.Selection served =
        LoadedDetectors.forVersion(
            version, location, embedder.modelId(), embedder.dimension(), none);
    assertSame(launched, served.release());
    assertEquals(
        List.of(version), LoadedDetectors.heldVersions(location, embedder.modelId(), none));
  }
}
