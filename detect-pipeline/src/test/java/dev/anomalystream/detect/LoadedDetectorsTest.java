package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.anomalystream.core.dataset.SyntheticCorpus;
import dev.anomalystream.core.embedding.EmbedderOptions;
import dev.anomalystream.core.embedding.SentenceEmbedder;
import dev.anomalystream.core.embedding.SharedEmbedders;
import dev.anomalystream.core.model.AnomalyDetector;
import dev.anomalystream.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedDetectorsTest {
  @TempDir Path models;

  @Test
  void aBrokenVersionFallsBackOnlyToTheLastGoodModelOfItsOwnLocation() throws Exception {
    List<String> texts =
        SyntheticCorpus.tweets(150, 5).stream().map(SyntheticCorpus.Tweet::text).toList();
    String good =
        TestModels.trainAndPublish(
                texts, models.toString(), "good", 0.05, Instant.parse("2026-11-23T08:00:00Z"))
            .version();
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
}
