package dev.anomalystream.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub client against a local server that speaks the dataset viewer's rows API. */
class HuggingFaceDatasetsTest {
  private static final int ROWS = 250;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresToServe = new AtomicInteger();
  @TempDir Path cache;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/splits",
        ex -> {
          requests.add(ex.getRequestURI().toString());
          respond(
              ex,
              200,
              "{\"splits\":["
                  + "{\"dataset\":\"dair-ai/emotion\",\"config\":\"split\",\"split\":\"train\"},"
                  + "{\"dataset\":\"dair-ai/emotion\",\"config\":\"split\","
                  + "\"split\":\"validation\"}]}");
        });
    server.createContext(
        "/rows",
        ex -> {
          requests.add(ex.getRequestURI().toString());
          if (failuresToServe.getAndDecrement() > 0) {
            respond(ex, 503, "{\"error\":\"busy\"}");
            return;
          }
          Map<String, String> query = query(ex.getRequestURI().getRawQuery());
          if (!query.get("split").equals("train")) {
            respond(ex, 404, "{\"error\":\"no such split\"}");
            return;
          }
          int offset = Integer.parseInt(query.get("offset"));
          int length = Integer.parseInt(query.get("length"));
          String rows =
              IntStream.range(offset, Math.min(ROWS, offset + length))
                  .mapToObj(
                      i ->
                          "{\"row_idx\":"
                              + i
                              + ",\"row\":{\"text\":\"tweet number "
                              + i
                              + "\",\"label\":"
                              + (i % 6)
                              + "},\"truncated_cells\":[]}")
                  .collect(Collectors.joining(","));
          respond(ex, 200, "{\"rows\":[" + rows + "],\"num_rows_total\":" + ROWS + "}");
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private HuggingFaceDatasets client() {
    return new HuggingFaceDatasets(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/", cache);
  }

  @Test
  void downloadsEveryPageFindsTheConfigAndCachesTheSplit() throws IOException {
    Path file = client().fetch("hf://dair-ai/emotion?split=train");
    assertEquals(cache.resolve("dair-ai/emotion/split/train.jsonl"), file);

    CorpusParserTest.Collected out = new CorpusParserTest.Collected();
    new CorpusParser(1000, null)
        .parse(file.toString(), new ByteArrayInputStream(Files.readAllBytes(file)), null, out);
    assertEquals(ROWS, out.records.size());
    assertEquals("tweet number 249", out.records.get(249).text());
    assertEquals(EmotionLabel.values()[249 % 6], out.records.get(249).label());
    assertEquals("train", out.records.get(0).split());
    assertEquals(4, requests.size(), requests.toString()); // splits + 3 pages

    client().fetch("hf://dair-ai/emotion?split=train");
    assertEquals(4, requests.size(), "a cached split is not downloaded again");
  }

  @Test
  void retriesAnOverloadedServer() throws IOException {
    failuresToServe.set(1);
    Path file = client().fetch("hf://dair-ai/emotion?config=split&split=train");
    assertEquals(ROWS, Files.readAllLines(file).size());
  }

  @Test
  void aMissingSplitIsAClearErrorAndLeavesNoPartialFile() throws IOException {
    IOException e =
        assertThrows(
            IOException.class,
            () -> client().fetch("hf://dair-ai/emotion?config=split&split=validation"));
    assertTrue(e.getMessage().contains("404"), e.getMessage());
    try (var files = Files.walk(cache)) {
      assertTrue(files.filter(Files::isRegularFile).findAny().isEmpty());
    }
    IOException unknown =
        assertThrows(IOException.class, () -> client().fetch("hf://dair-ai/emotion?split=test"));
    assertTrue(unknown.getMessage().contains("no split 'test'"), unknown.getMessage());
  }

  @Test
  void rejectsMalformedUris() {
    assertThrows(IllegalArgumentException.class, () -> client().fetch("hf://emotion"));
  }

  private static Map<String, String> query(String raw) {
    return java.util.Arrays.stream(raw.split("&"))
        .map(p -> p.split("=", 2))
        .collect(
            Collectors.toMap(
                p -> p[0], p -> java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }
}
