package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hf:// models served by a local HTTP server in Hub URL layout: a repository holding the builtin
 * int8 model as onnx/model.onnx, with CLS pooling and a 16-token limit, so every
 * sentence-transformers setting visibly differs from the builtin defaults.
 */
class HuggingFaceHubTest {
  private static final String REPOSITORY = "test-org/tiny-cls";

  @TempDir Path cache;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = HuggingFaceHubTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    String prefix = "/" + REPOSITORY + "/resolve/main/";
    files.put(prefix + "tokenizer.json", resource("all-minilm-l6-v2-q-tokenizer.json"));
    files.put(prefix + "onnx/model.onnx", resource("all-minilm-l6-v2-q.onnx"));
    files.put(
        prefix + "1_Pooling/config.json",
        "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}"
            .getBytes(StandardCharsets.UTF_8));
    files.put(
        prefix + "sentence_bert_config.json",
        "{\"max_seq_length\": 16}".getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.add(path);
          byte[] body = files.get(path);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private EmbedderOptions options(String repository) {
    return EmbedderOptions.of("hf://" + repository)
        .withHubBaseUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .withCacheDirectory(cache);
  }

  @Test
  void downloadsOnceAndAppliesTheSentenceTransformersSettings() throws IOException {
    float[] first;
    try (SentenceEmbedder embedder = SentenceEmbedder.open(options(REPOSITORY))) {
      assertEquals(REPOSITORY, embedder.modelId());
      assertEquals(PoolingMode.CLS, embedder.pooling());
      assertEquals(16, embedder.maxSequenceLength());
      assertEquals(384, embedder.dimension());
      String text =
          "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
              + " sixteen";
      EmbeddedBatch batch = embedder.embedBatch(List.of(text, "short"));
      assertEquals(1, batch.truncatedTexts());
      // alone: with int8 dynamic quantization the batch (padding included) affects a vector
      first = embedder.embed(List.of("short"))[0];
    }
    int requestsAfterDownload = requests.size();
    assertTrue(requests.stream().anyMatch(path -> path.endsWith("/onnx/model.onnx")));

    server.stop(0);
    try (SentenceEmbedder cached = SentenceEmbedder.open(options(REPOSITORY))) {
      assertArrayEquals(first, cached.embed(List.of("short"))[0]);
    }
    assertEquals(requestsAfterDownload, requests.size());
  }

  @Test
  void theCachedCopyIsAnOrdinaryModelDirectory() throws IOException {
    float[] viaHub;
    try (SentenceEmbedder embedder = SentenceEmbedder.open(options(REPOSITORY))) {
      viaHub = embedder.embed(List.of("a local copy"))[0];
    }
    EmbedderOptions local = EmbedderOptions.of(cache.resolve(REPOSITORY).toString());
    try (SentenceEmbedder embedder = SentenceEmbedder.open(local)) {
      assertEquals("tiny-cls", embedder.modelId());
      assertArrayEquals(viaHub, embedder.embed(List.of("a local copy"))[0]);
      // CLS pooling, so not the builtin model's mean-pooled vector of the same text
      float[] meanPooled =
          SharedEmbedders.get(EmbedderOptions.of("builtin:all-minilm-l6-v2-q"))
              .embed(List.of("a local copy"))[0];
      assertFalse(Arrays.equals(meanPooled, viaHub));
    }
  }

  @Test
  void aRepositoryWithoutTokenizerIsAnErrorNamingTheFile() {
    files.remove("/" + REPOSITORY + "/resolve/main/tokenizer.json");
    IOException error =
        assertThrows(IOException.class, () -> SentenceEmbedder.open(options(REPOSITORY)));
    assertTrue(error.getMessage().contains("tokenizer.json"), error.getMessage());
  }

  @Test
  void aRepositoryWithoutOnnxGraphIsAnErrorNamingTheFiles() {
    files.remove("/" + REPOSITORY + "/resolve/main/onnx/model.onnx");
    IOException error =
        assertThrows(IOException.class, () -> SentenceEmbedder.open(options(REPOSITORY)));
    assertTrue(error.getMessage().contains("onnx/model.onnx"), error.getMessage());
    assertTrue(error.getMessage().contains("model-artifacts/README.md"), error.getMessage());
  }
}
