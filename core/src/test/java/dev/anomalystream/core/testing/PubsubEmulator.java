package dev.anomalystream.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Google Cloud Pub/Sub emulator for tests: started on a free loopback port before the test
 * class, polled until it answers, and stopped (with its child processes) afterwards, also when a
 * test fails. Register with {@code @RegisterExtension static final PubsubEmulator PUBSUB = new
 * PubsubEmulator();}.
 *
 * <p>Topics, subscriptions and pulls go through the emulator's REST API directly, so a test checks
 * what really sits in Pub/Sub, independently of the Beam code under test.
 */
public final class PubsubEmulator implements BeforeAllCallback, AfterAllCallback {
  public static final String PROJECT = "anomaly-test";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;
  private int port;
  private Path log;

  /** One message as pulled back from a subscription. */
  public record Pulled(String data, Map<String, String> attributes, String messageId) {}

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    port = freePort();
    log = Files.createTempFile("pubsub-emulator", ".log");
    Path dataDir = Files.createTempDirectory("pubsub-emulator-data");
    process =
        new ProcessBuilder(
                emulatorBinary().toString(),
                "--host=127.0.0.1",
                "--port=" + port,
                "--dir=" + dataDir)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Awaitility.await("the Pub/Sub emulator answering")
          .atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(this::answersOrExited);
    } catch (ConditionTimeoutException e) {
      stop();
      throw new IllegalStateException(
          "the Pub/Sub emulator did not answer within " + START_TIMEOUT + ":\n" + readLog(), e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException("the Pub/Sub emulator exited at start:\n" + readLog());
    }
  }

  private boolean answersOrExited() {
    return !process.isAlive() || answers();
  }

  private String readLog() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void stop() {
    if (process == null) {
      return;
    }
    // the launcher script starts a JVM child: Processes.stop stops the children too
    Processes.stop(process, Duration.ofSeconds(10));
    process = null;
  }

  /** The emulator's binary: {@code PUBSUB_EMULATOR_BIN}, else the one inside the gcloud SDK. */
  static Path emulatorBinary() throws IOException, InterruptedException {
    String configured = System.getenv("PUBSUB_EMULATOR_BIN");
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured);
    }
    Process gcloud =
        new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
            .redirectErrorStream(true)
            .start();
    String sdkRoot =
        new String(gcloud.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    gcloud.waitFor();
    Path binary = Paths.get(sdkRoot, "platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "no Pub/Sub emulator at "
              + binary
              + ": install the gcloud pubsub-emulator component"
              + " or set PUBSUB_EMULATOR_BIN");
    }
    return binary;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private boolean answers() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(rootUrl() + "/"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** For Beam's {@code --pubsubRootUrl}. */
  public String rootUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The Beam options that point a pipeline at this emulator. */
  public List<String> beamArgs() {
    return List.of(
        "--pubsubRootUrl=" + rootUrl(),
        "--project=" + PROJECT,
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory");
  }

  public static String topicPath(String topic) {
    return "projects/" + PROJECT + "/topics/" + topic;
  }

  public static String subscriptionPath(String subscription) {
    return "projects/" + PROJECT + "/subscriptions/" + subscription;
  }

  public void createTopic(String topic) {
    call("PUT", topicPath(topic), "{}");
  }

  /** Creates a subscription on an existing topic; pulls see only what is published after this. */
  public void createSubscription(String subscription, String topic) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("topic", topicPath(topic));
    call("PUT", subscriptionPath(subscription), body.toString());
  }

  public boolean topicExists(String topic) {
    return request("GET", topicPath(topic), null).statusCode() == 200;
  }

  /** Publishes one message with attributes; returns its message id. */
  public String publish(String topic, byte[] data, Map<String, String> attributes) {
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("data", Base64.getEncoder().encodeToString(data));
    ObjectNode attrs = message.putObject("attributes");
    attributes.forEach(attrs::put);
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putArray("messages").add(message);
    JsonNode response = call("POST", topicPath(topic) + ":publish", body.toString());
    return response.get("messageIds").get(0).asText();
  }

  /**
   * Pulls (and acknowledges) until {@code expected} messages arrived or {@code timeout} passed (the
   * caller then asserts on what it got); then goes on pulling for half a second, so that extra,
   * unexpected messages are seen too.
   */
  public List<Pulled> pullAtLeast(String subscription, int expected, Duration timeout) {
    List<Pulled> all = new ArrayList<>();
    try {
      Awaitility.await("at least " + expected + " messages on " + subscription)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                all.addAll(pullOnce(subscription));
                return all.size() >= expected;
              });
    } catch (ConditionTimeoutException e) {
      return all; // too few: the caller's assertion names the count
    }
    // a bounded wait for messages that should not exist: pull all through it, fail on none
    Awaitility.await("extra messages on " + subscription)
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              all.addAll(pullOnce(subscription));
              return true;
            });
    return all;
  }

  private List<Pulled> pullOnce(String subscription) {
    ObjectNode body =
        Json.MAPPER.createObjectNode().put("maxMessages", 1000).put("returnImmediately", true);
    JsonNode response = call("POST", subscriptionPath(subscription) + ":pull", body.toString());
    List<Pulled> pulled = new ArrayList<>();
    ArrayNode ackIds = Json.MAPPER.createArrayNode();
    JsonNode received = response.get("receivedMessages");
    if (received == null) {
      return pulled;
    }
    for (JsonNode item : received) {
      JsonNode message = item.get("message");
      Map<String, String> attributes = new HashMap<>();
      JsonNode attrs = message.get("attributes");
      if (attrs != null) {
        attrs.fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
      }
      String data =
          message.has("data")
              ? new String(
                  Base64.getDecoder().decode(message.get("data").asText()), StandardCharsets.UTF_8)
              : "";
      pulled.add(new Pulled(data, attributes, message.get("messageId").asText()));
      ackIds.add(item.get("ackId").asText());
    }
    ObjectNode ack = Json.MAPPER.createObjectNode();
    ack.set("ackIds", ackIds);
    call("POST", subscriptionPath(subscription) + ":acknowledge", ack.toString());
    return pulled;
  }

  private JsonNode call(String method, String path, String body) {
    HttpResponse<String> response = request(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + path + " -> " + response.statusCode() + ": " + response.body());
    }
    try {
      return response.body().isBlank()
          ? Json.MAPPER.createObjectNode()
          : Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> request(String method, String path, String body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(rootUrl() + "/v1/" + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(method, publisher)
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
