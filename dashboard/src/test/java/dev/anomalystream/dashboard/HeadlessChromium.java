package dev.anomalystream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.ChromiumBinary;
import dev.anomalystream.core.testing.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (a WebSocket): a live page stays
 * open while the test changes what the server sees, which {@code --dump-dom} cannot do (its virtual
 * time never ends while an event stream is open). Collects script exceptions, console errors (a
 * Content-Security-Policy violation is one) and dialogs the page opened.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger nextId = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, WebSocket.Builder sockets, URI pageSocket)
      throws Exception {
    this.process = process;
    this.socket =
        sockets.buildAsync(pageSocket, new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Starts Chromium on a blank page, every network feature of its own switched off. */
  static HeadlessChromium start(Path binary, Path profile) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(ChromiumBinary.HEADLESS_FLAGS);
    command.addAll(
        List.of(
            "--window-size=1400,1300",
            "--remote-debugging-port=0",
            "--user-data-dir=" + profile,
            "about:blank"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException(
              "Chromium wrote no DevToolsActivePort: "
                  + Files.readString(profile.resolve("chromium.log")));
        }
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets =
          Json.MAPPER.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      for (JsonNode target : targets) {
        if ("page".equals(target.path("type").asText())) {
          HeadlessChromium chromium =
              new HeadlessChromium(
                  process,
                  http.newWebSocketBuilder(),
                  URI.create(target.get("webSocketDebuggerUrl").asText()));
          chromium.call("Runtime.enable", Map.of());
          chromium.call("Log.enable", Map.of());
          chromium.call("Page.enable", Map.of());
          return chromium;
        }
      }
      throw new IllegalStateException("Chromium has no page target: " + targets);
    } catch (Exception e) {
      Processes.stop(process, Duration.ofSeconds(10));
      throw e;
    }
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
  }

  /** The value of a JavaScript expression in the page, as a string ("" for undefined). */
  String evaluate(String expression) throws Exception {
    JsonNode result =
        call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError("evaluating " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value").asText("");
  }

  byte[] screenshot() throws Exception {
    return Base64.getDecoder()
        .decode(call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText());
  }

  /** The browser's own process (its renderers and helpers are its descendants). */
  ProcessHandle process() {
    return process.toHandle();
  }

  /** Script exceptions, console errors and dialogs seen so far. */
  List<String> problems() {
    return new ArrayList<>(problems);
  }

  private JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = nextId.incrementAndGet();
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("id", id).put("method", method).set("params", Json.MAPPER.valueToTree(params));
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(message.toString(), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode answer = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.get("result");
  }

  private void receive(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
      if (reply != null) {
        reply.complete(message);
      }
      return;
    }
    String method = message.path("method").asText();
    JsonNode params = message.path("params");
    switch (method) {
      case "Runtime.exceptionThrown" ->
          problems.add("exception: " + params.get("exceptionDetails"));
      case "Page.javascriptDialogOpening" -> problems.add("dialog: " + params.path("message"));
      case "Log.entryAdded" -> {
        JsonNode entry = params.path("entry");
        // the browser asks every site for a favicon; this one has none
        if ("error".equals(entry.path("level").asText())
            && !entry.path("url").asText().endsWith("/favicon.ico")) {
          problems.add("console: " + entry.path("text").asText());
        }
      }
      default -> {}
    }
  }

  @Override
  public void close() {
    socket.abort();
    Processes.stop(process, Duration.ofSeconds(10));
  }

  /** Joins a message's fragments, then hands it on. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          receive(Json.MAPPER.readTree(partial.toString()));
        } catch (IOException e) {
          problems.add("unreadable DevTools message: " + e.getMessage());
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
