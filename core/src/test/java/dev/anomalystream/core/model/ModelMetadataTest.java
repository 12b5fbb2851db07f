package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  static ModelMetadata sample(String version) {
    return new ModelMetadata(
        ModelMetadata.FORMAT_VERSION,
        "tweets",
        version,
        Instant.parse("2026-11-23T09:00:00Z"),
        "0.1.0-SNAPSHOT",
        new ModelMetadata.Embedding("sentence-transformers/all-MiniLM-L6-v2", 384, "mean", "l2"),
        new ModelMetadata.Hyperparameters(15, 5, 10),
        new ModelMetadata.Training(
            14_400,
            List.of(120, 80),
            0.42,
            new ModelMetadata.TrainingSource(
                "file", "train.txt", null, Instant.parse("2026-11-01T00:00:00Z"), 16_000L)),
        new ModelMetadata.CalibrationRecord(ScoreKind.KNN, 0.61, 0.01, 1600, 0.0094, 0.011),
        List.of(new ModelMetadata.CalibrationRecord(ScoreKind.GLOSH, 0.93, 0.01, 1600, 0.01, null)),
        new ModelMetadata.Drift(
            DriftReference.STATISTIC,
            2,
            List.of(0.6, 0.4),
            14_400,
            0.01,
            0.1,
            1.0,
            4.16,
            0.12,
            DriftReference.MIN_MESSAGES,
            List.of(new ModelMetadata.NullSimulation(100, 20_000, 0.0001, 0.00005, 0.0000694))),
        new ModelMetadata.AutoencoderRecord(
            List.of(384, 128, 32, 128, 384),
            List.of("relu", "tanh", "relu"),
            "squared",
            30,
            64,
            0.001,
            42L,
            0.0004,
            41.5,
            "PyTorch 2.5.1"),
        Map.of("hdbscan.bin", "ab12"));
  }

  @Test
  void roundTripsThroughJson() throws IOException {
    ModelMetadata metadata = sample("20261123T090000Z");
    byte[] json = metadata.toJson();
    assertEquals(metadata, ModelMetadata.fromJson(json, "test"));
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"min_cluster_size\" : 15"), text);
    assertTrue(text.contains("\"expected_anomaly_rate\" : 0.01"), text);
    assertTrue(text.contains("\"score\" : \"knn\""), text);
    assertTrue(text.contains("\"created_at\" : \"2026-11-23T09:00:00Z\""), text);
  }

  @Test
  void findsTheCalibrationOfEitherScore() {
    ModelMetadata metadata = sample("1");
    assertEquals(0.61, metadata.calibrationFor(ScoreKind.KNN).orElseThrow().threshold());
    assertEquals(0.93, metadata.calibrationFor(ScoreKind.GLOSH).orElseThrow().threshold());
  }

  @Test
  void aMinimalOlderVersionWithUnknownFieldsLoads() throws IOException {
    String json =
        "{\"model_name\":\"tweets\",\"version\":\"1\",\"some_future_field\":[1,2],"
            + "\"embedding\":{\"model_id\":\"m\",\"dimension\":8}}";
    ModelMetadata metadata = ModelMetadata.fromJson(json.getBytes(StandardCharsets.UTF_8), "old");
    assertEquals("m", metadata.embedding().modelId());
    assertNull(metadata.calibration());
    assertTrue(metadata.calibrationFor(ScoreKind.GLOSH).isEmpty());
    assertNull(metadata.createdAt());
    assertTrue(metadata.fileSha256().isEmpty());
  }

  @Test
  void missingEmbeddingIsAClearError() {
    byte[] json = "{\"model_name\":\"tweets\",\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> ModelMetadata.fromJson(json, "x.json"));
    assertTrue(e.getMessage().contains("x.json"), e.getMessage());
    assertTrue(e.getMessage().contains("'embedding' is missing"), e.getMessage());
  }

  @Test
  void malformedInstantIsAClearError() {
    byte[] json =
        ("{\"model_name\":\"t\",\"version\":\"1\",\"created_at\":\"yesterday\","
                + "\"embedding\":{\"model_id\":\"m\",\"dimension\":8}}")
            .getBytes(StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> ModelMetadata.fromJson(json, "x.json"));
    assertTrue(e.getMessage().contains("yesterday"), e.getMessage());
  }

  @Test
  void embeddingMismatchNamesBothModels() {
    ModelMetadata metadata = sample("1");
    metadata.requireEmbedding("sentence-transformers/all-MiniLM-L6-v2", 384);
    IncompatibleModelException e =
        assertThrows(
            IncompatibleModelException.class,
            () -> metadata.requireEmbedding("sentence-transformers/stsb-distilbert-base", 768));
    assertTrue(
        e.getMessage().contains("'sentence-transformers/all-MiniLM-L6-v2' (384"), e.getMessage());
    assertTrue(
        e.getMessage().contains("'sentence-transformers/stsb-distilbert-base' (768"),
        e.getMessage());
    assertThrows(
        IncompatibleModelException.class,
        () -> metadata.requireEmbedding("sentence-transformers/all-MiniLM-L6-v2", 768));
  }

  @Test
  void theEmbeddingSpecRoundTripsAndDecidesWhatToServe() throws IOException {
    ModelMetadata.Embedding recorded =
        new ModelMetadata.Embedding("org/name", 768, "mean", "l2", "hf://org/name");
    ModelMetadata.Embedding read =
        ModelMetadata.fromJson(withEmbedding(recorded).toJson(), "metadata.json").embedding();
    assertEquals(recorded, read);
    assertEquals("hf://org/name", read.specToServe(null));
    assertEquals("hf://org/name", read.specToServe("  "));
    assertEquals("builtin:all-minilm-l6-v2", read.specToServe(" builtin:all-minilm-l6-v2 "));
  }

  @Test
  void aVersionWithoutASpecIsServedByTheBuiltinWithItsIdElseTheDefault() throws IOException {
    ModelMetadata older = sample("1");
    byte[] json = older.toJson();
    assertFalse(new String(json, StandardCharsets.UTF_8).contains("\"spec\""));
    ModelMetadata.Embedding minilm = ModelMetadata.fromJson(json, "metadata.json").embedding();
    assertEquals("builtin:all-minilm-l6-v2", minilm.specToServe(null));
    assertEquals(
        "builtin:bge-small-en-v1.5-q",
        new ModelMetadata.Embedding("BAAI/bge-small-en-v1.5-q-int8", 384, "cls", "l2")
            .specToServe(null));
    assertEquals(
        EmbeddingModelSpec.DEFAULT,
        new ModelMetadata.Embedding("my-own-model", 384, "mean", "l2").specToServe(null));
  }

  private static ModelMetadata withEmbedding(ModelMetadata.Embedding embedding) {
    ModelMetadata m = sample("2");
    return new ModelMetadata(
        m.formatVersion(),
        m.modelName(),
        m.version(),
        m.createdAt(),
        m.codeVersion(),
        embedding,
        m.hyperparameters(),
        m.training(),
        m.calibration(),
        m.alternativeCalibrations(),
        m.drift(),
        m.autoencoder(),
        m.fileSha256());
  }
}
