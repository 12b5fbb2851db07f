package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the builtin all-MiniLM-L6-v2 models against langchain4j's in-process models built from the
 * same ONNX files, which serve as the oracle.
 */
class SentenceEmbedderTest {
  private static final double FP32_TOLERANCE = 1e-5;

  /** All under 128 tokens, as langchain4j splits longer texts differently. */
  static final List<String> SENTENCES =
      List.of(
          "im feeling quite sad and sorry for myself but ill snap out of it soon",
          "i feel like a faithful servant",
          "The quick brown fox jumps over the lazy dog.",
          "Server 10.0.0.7 returned HTTP 503 at 03:14 UTC; retrying in 30s!",
          "ok",
          "Das Wetter ist heute schön, aber morgen soll es regnen.",
          "我今天很开心，因为天气很好。",
          "Сегодня я чувствую себя прекрасно",
          "الطقس جميل اليوم",
          "🔥🔥 best day ever 🎉");

  @Test
  void aBuiltinGraphIsExtractedOnceAndACutCopyIsReplacedOrTheJarServes(@TempDir Path cache)
      throws Exception {
    EmbedderOptions options =
        EmbedderOptions.of("builtin:all-minilm-l6-v2-q").withCacheDirectory(cache);
    float[][] fromJar;
    // a cache that cannot be a directory: the session reads the graph from the jar
    Path notADirectory = Files.writeString(cache.resolve("a-file"), "");
    try (SentenceEmbedder embedder =
        SentenceEmbedder.open(options.withCacheDirectory(notADirectory))) {
      fromJar = embedder.embed(SENTENCES);
    }
    try (SentenceEmbedder embedder = SentenceEmbedder.open(options)) {
      assertArrayEquals(fromJar, embedder.embed(SENTENCES));
    }
    List<Path> extracted;
    try (var files = Files.list(cache.resolve("builtin"))) {
      extracted = files.toList();
    }
    assertEquals(1, extracted.size(), extracted.toString());
    Path graph = extracted.get(0);
    // named <crc>-<size>-<resource>: the size is the jar entry's
    long size = Long.parseLong(graph.getFileName().toString().split("-")[1]);
    assertEquals(size, Files.size(graph));

    // a copy cut short (say, by a full disk) is noticed by its size and written again
    Files.write(graph, new byte[16]);
    try (SentenceEmbedder embedder = SentenceEmbedder.open(options)) {
      assertArrayEquals(fromJar, embedder.embed(SENTENCES));
    }
    assertEquals(size, Files.size(graph));
    try (var files = Files.list(cache.resolve("builtin"))) {
      assertEquals(List.of(graph), files.toList(), "no partial copies left behind");
    }
  }

  // the model langchain4j's AllMiniLmL6V2EmbeddingModel runs, the oracle of most tests here
  private static final EmbedderOptions MINILM = EmbedderOptions.of("builtin:all-minilm-l6-v2");

  private static SentenceEmbedder fp32;
  private static SentenceEmbedder int8;

  @BeforeAll
  static void openModels() {
    fp32 = SharedEmbedders.get(MINILM);
    int8 = SharedEmbedders.get(EmbedderOptions.of("builtin:all-minilm-l6-v2-q"));
  }

  private static float[] oracle(EmbeddingModel model, String text) {
    return model.embed(text).content().vector();
  }

  private static double maxAbsDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length, "vector lengths");
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double norm(float[] v) {
    double squares = 0;
    for (float x : v) {
      squares += (double) x * x;
    }
    return Math.sqrt(squares);
  }

  @Test
  void describesTheBuiltinModel() {
    assertEquals(384, fp32.dimension());
    assertEquals("sentence-transformers/all-MiniLM-L6-v2", fp32.modelId());
    assertEquals("sentence-transformers/all-MiniLM-L6-v2-q-int8", int8.modelId());
    assertEquals(PoolingMode.MEAN, fp32.pooling());
    assertEquals(128, fp32.maxSequenceLength());
  }

  @Test
  void fp32MatchesLangchain4jOneTextAtATime() {
    EmbeddingModel oracle = new AllMiniLmL6V2EmbeddingModel();
    for (String text : SENTENCES) {
      float[] ours = fp32.embed(List.of(text))[0];
      assertTrue(
          maxAbsDifference(ours, oracle(oracle, text)) < FP32_TOLERANCE,
          () -> "differs from langchain4j: " + text);
    }
  }

  @Test
  void fp32MatchesLangchain4jInOneBatch() {
    EmbeddingModel oracle = new AllMiniLmL6V2EmbeddingModel();
    float[][] ours = fp32.embed(SENTENCES);
    assertEquals(SENTENCES.size(), ours.length);
    for (int i = 0; i < SENTENCES.size(); i++) {
      String text = SENTENCES.get(i);
      assertTrue(
          maxAbsDifference(ours[i], oracle(oracle, text)) < FP32_TOLERANCE,
          () -> "differs from langchain4j in a batch: " + text);
    }
  }

  @Test
  void int8MatchesQuantizedLangchain4jOneTextAtATime() {
    EmbeddingModel oracle = new AllMiniLmL6V2QuantizedEmbeddingModel();
    for (String text : SENTENCES) {
      float[] ours = int8.embed(List.of(text))[0];
      assertTrue(
          maxAbsDifference(ours, oracle(oracle, text)) < FP32_TOLERANCE,
          () -> "differs from langchain4j's quantized model: " + text);
    }
  }

  /** The BGE builtin pools the [CLS] token, not the mean: the upstream model's pooling. */
  @Test
  void bgeMatchesLangchain4jWithClsPooling() {
    SentenceEmbedder bge = SharedEmbedders.get(EmbedderOptions.of("builtin:bge-small-en-v1.5"));
    assertEquals(PoolingMode.CLS, bge.pooling());
    assertEquals("BAAI/bge-small-en-v1.5", bge.modelId());
    EmbeddingModel oracle = new BgeSmallEnV15EmbeddingModel();
    float[][] ours = bge.embed(SENTENCES);
    for (int i = 0; i < SENTENCES.size(); i++) {
      String text = SENTENCES.get(i);
      assertTrue(
          maxAbsDifference(ours[i], oracle(oracle, text)) < FP32_TOLERANCE,
          () -> "differs from langchain4j's BGE: " + text);
    }
  }

  /**
   * Dynamic int8 quantization scales activations per tensor, so the other texts of a batch (not
   * only their padding) move a vector: measured cosine 0.95 to 0.99 against the same text alone.
   */
  @Test
  void int8InABatchStaysCloseToQuantizedLangchain4j() {
    EmbeddingModel oracle = new AllMiniLmL6V2QuantizedEmbeddingModel();
    float[][] ours = int8.embed(SENTENCES);
    for (int i = 0; i < SENTENCES.size(); i++) {
      float[] expected = oracle(oracle, SENTENCES.get(i));
      double cosine = 0;
      for (int d = 0; d < expected.length; d++) {
        cosine += (double) ours[i][d] * expected[d];
      }
      assertTrue(cosine > 0.94, SENTENCES.get(i) + ": cosine " + cosine);
    }
  }

  @Test
  void paddingInsideABatchDoesNotChangeAVectorAtFp32() {
    SentenceEmbedder oneCall = SharedEmbedders.get(MINILM.withInferenceBatchSize(64));
    String shortText = "ok";
    String longText = String.join(" ", Collections.nCopies(40, "a much longer sentence"));
    float[] alone = oneCall.embed(List.of(shortText))[0];
    float[] paddedToLongText = oneCall.embed(List.of(longText, shortText))[1];
    assertTrue(maxAbsDifference(alone, paddedToLongText) < FP32_TOLERANCE);
  }

  @Test
  void resultsKeepInputOrderAcrossInferenceSlices() {
    SentenceEmbedder smallSlices = SharedEmbedders.get(MINILM.withInferenceBatchSize(3));
    float[][] sliced = smallSlices.embed(SENTENCES);
    float[][] whole = fp32.embed(SENTENCES);
    for (int i = 0; i < SENTENCES.size(); i++) {
      assertTrue(maxAbsDifference(sliced[i], whole[i]) < FP32_TOLERANCE, SENTENCES.get(i));
    }
  }

  @Test
  void emptyTextGivesAUnitVector() {
    EmbeddedBatch batch = fp32.embedBatch(List.of("", "   "));
    for (float[] vector : batch.vectors()) {
      assertEquals(384, vector.length);
      assertEquals(1.0, norm(vector), 1e-5);
    }
    assertEquals(0, batch.truncatedTexts());
  }

  @Test
  void longTextIsTruncatedAndCounted() {
    String words = String.join(" ", Collections.nCopies(200, "anomaly"));
    String longer = words + " and then something entirely different happened at the end";
    EmbeddedBatch batch = fp32.embedBatch(List.of("short text", words, longer));
    assertEquals(2, batch.truncatedTexts());
    // both are cut to their first 126 word pieces, identical in the two texts
    assertArrayEquals(batch.vectors()[1], batch.vectors()[2]);
    assertEquals(1.0, norm(batch.vectors()[1]), 1e-5);
  }

  @Test
  void nonLatinScriptsGiveDistinctUnitVectors() {
    List<String> texts = SENTENCES.subList(5, SENTENCES.size());
    float[][] vectors = fp32.embed(texts);
    for (int i = 0; i < vectors.length; i++) {
      assertEquals(1.0, norm(vectors[i]), 1e-5, texts.get(i));
      for (int j = i + 1; j < vectors.length; j++) {
        assertFalse(Arrays.equals(vectors[i], vectors[j]), texts.get(i) + " vs " + texts.get(j));
      }
    }
  }

  @Test
  void emptyInputGivesNoVectors() {
    assertEquals(0, fp32.embed(List.of()).length);
  }

  @Test
  void nullTextIsRejectedNamingItsPosition() {
    List<String> texts = new ArrayList<>(List.of("fine"));
    texts.add(null);
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> fp32.embed(texts));
    assertTrue(error.getMessage().contains("text 1"), error.getMessage());
  }

  @Test
  void cudaFallsBackToTheCpuWhereNoCudaProviderStartsAndEmbedsTheSame() throws Exception {
    // the default build's onnxruntime jar has no CUDA provider; with the -Pgpu jar on a machine
    // without a GPU the provider is listed but fails to start, which takes the same fallback
    EmbedderOptions cuda = MINILM.withDevice(Device.CUDA);
    assertFalse(cuda.equals(MINILM), "a CUDA embedder must not be shared with a CPU one");
    assertEquals(Device.CPU, fp32.device());
    try (SentenceEmbedder embedder = SentenceEmbedder.open(cuda)) {
      if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        assertEquals(Device.CPU, embedder.device());
      }
      float[][] expected = fp32.embed(SENTENCES);
      float[][] actual = embedder.embed(SENTENCES);
      for (int i = 0; i < SENTENCES.size(); i++) {
        if (embedder.device() == Device.CPU) {
          assertArrayEquals(expected[i], actual[i], SENTENCES.get(i));
        } else {
          assertTrue(maxAbsDifference(expected[i], actual[i]) < 1e-4, SENTENCES.get(i));
        }
      }
    }
  }

  @Test
  void deviceNamesParseInAnyCaseAndOthersAreRefused() {
    assertEquals(Device.CUDA, Device.parse("CUDA"));
    assertEquals(Device.CPU, Device.parse(" cpu"));
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> Device.parse("gpu"));
    assertEquals("--device must be cpu or cuda, got 'gpu'", error.getMessage());
  }

  @Test
  void sharedEmbeddersGiveOneInstancePerOptions() {
    assertTrue(fp32 == SharedEmbedders.get(EmbedderOptions.of("builtin:all-minilm-l6-v2")));
    assertFalse(fp32 == int8);
  }
}
