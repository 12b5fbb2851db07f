package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.embedding.EmbeddingModelSpec.Source;
import java.nio.file.Path;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class EmbeddingModelSpecTest {
  @Test
  void builtinModelsHaveUpstreamIds() {
    EmbeddingModelSpec minilm = EmbeddingModelSpec.parse("builtin:all-minilm-l6-v2");
    assertEquals(Source.BUILTIN, minilm.source());
    assertEquals("sentence-transformers/all-MiniLM-L6-v2", minilm.modelId());
    assertEquals(
        "sentence-transformers/all-MiniLM-L6-v2-q-int8",
        EmbeddingModelSpec.parse("builtin:all-minilm-l6-v2-q").modelId());
    assertEquals(
        "BAAI/bge-small-en-v1.5", EmbeddingModelSpec.parse("builtin:bge-small-en-v1.5").modelId());
    assertEquals(
        EmbeddingModelSpec.parse(EmbeddingModelSpec.DEFAULT), EmbeddingModelSpec.defaultModel());
  }

  @Test
  void anUnknownBuiltinIsRefusedListingTheKnownOnes() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class, () -> EmbeddingModelSpec.parse("builtin:bert"));
    assertTrue(error.getMessage().contains("builtin:bge-small-en-v1.5-q"), error.getMessage());
    assertTrue(error.getMessage().contains("builtin:all-minilm-l6-v2"), error.getMessage());
  }

  @Test
  void hubSpecsNameTheRepository() {
    EmbeddingModelSpec spec =
        EmbeddingModelSpec.parse(" hf://sentence-transformers/stsb-distilbert-base ");
    assertEquals(Source.HUGGING_FACE_HUB, spec.source());
    assertEquals("sentence-transformers/stsb-distilbert-base", spec.hubRepository());
    assertEquals("sentence-transformers/stsb-distilbert-base", spec.modelId());
    assertEquals("hf://sentence-transformers/stsb-distilbert-base", spec.toString());
  }

  @Test
  void aLocalDirectoryIsNamedByItsLastElement() {
    EmbeddingModelSpec spec = EmbeddingModelSpec.parse("/opt/models/stsb-distilbert-base/");
    assertEquals(Source.LOCAL_DIRECTORY, spec.source());
    assertEquals(Path.of("/opt/models/stsb-distilbert-base"), spec.localDirectory());
    assertEquals("stsb-distilbert-base", spec.modelId());
  }

  @Test
  void badSpecsAreRejectedNamingTheSpec() {
    for (String bad :
        new String[] {"builtin:bert", "hf://just-a-name", "hf://a/b/c", "hf:///x", " "}) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> EmbeddingModelSpec.parse(bad), bad);
      assertTrue(bad.isBlank() || error.getMessage().contains(bad.trim()), error.getMessage());
    }
  }

  @Test
  void parsingItsOwnStringGivesAnEqualSpec() {
    for (String text : new String[] {"builtin:all-minilm-l6-v2-q", "hf://org/name", "models/x"}) {
      EmbeddingModelSpec spec = EmbeddingModelSpec.parse(text);
      assertEquals(spec, EmbeddingModelSpec.parse(spec.toString()));
      assertEquals(spec, SerializableUtils.clone(spec));
    }
    assertNotEquals(
        EmbeddingModelSpec.parse("hf://org/name"), EmbeddingModelSpec.parse("hf://org/other"));
  }

  @Test
  void optionsAreValuesSoEqualOptionsShareOneModel() {
    EmbedderOptions options =
        EmbedderOptions.defaults().withIntraOpThreads(2).withMaxSequenceLength(64);
    assertEquals(options, SerializableUtils.clone(options));
    assertEquals(options.hashCode(), SerializableUtils.clone(options).hashCode());
    assertNotEquals(options, options.withInterOpThreads(1));
    assertNotEquals(options, options.withCacheDirectory(Path.of("elsewhere")));
    assertThrows(IllegalArgumentException.class, () -> options.withInferenceBatchSize(0));
  }
}
