package dev.anomalystream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.Credentials;
import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a Pub/Sub subscription on the detector's detections topic ({@code PublishDetections}: one
 * compact JSON row per message) through Pub/Sub's REST API: pull, hand each row to the hub,
 * acknowledge. The subscription should be the dashboard's own: messages it takes, no other reader
 * of that subscription gets. A failed call is logged and tried again a second later, so the
 * dashboard outlives an emulator or network restart.
 */
final class PubsubRowFollower implements RowSource {
  private static final Logger LOG = LoggerFactory.getLogger(PubsubRowFollower.class);
  private static final int MAX_MESSAGES = 500;
  private static final long EMPTY_PULL_PAUSE_MILLIS = 250;
  private static final long RETRY_MILLIS = 1_000;

  private final HttpClient http = HttpClient.newHttpClient();
  private final String rootUrl;
  private final String subscriptionPath;
  private final Credentials credentials;
  private Thread thread;

  /**
   * @param rootUrl Pub/Sub's, or an emulator's ({@code http://host:port})
   * @param subscriptionPath {@code projects/<p>/subscriptions/<s>}
   * @param credentials Google credentials for the requests; null or without request metadata for an
   *     emulator
   */
  PubsubRowFollower(String rootUrl, String subscriptionPath, Credentials credentials) {
    this.rootUrl = rootUrl.endsWith("/") ? rootUrl.substring(0, rootUrl.length() - 1) : rootUrl;
    this.subscriptionPath = subscriptionPath;
    this.credentials = credentials;
  }

  @Override
  public void start(EventHub hub) {
    thread = new Thread(() -> follow(hub), "dashboard-pubsub");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow(EventHub hub) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (pullOnce(hub) == 0) {
          Thread.sleep(EMPTY_PULL_PAUSE_MILLIS);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.warn("pulling {} failed, trying again: {}", subscriptionPath, e.toString());
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** One pull: its rows to the hub, then acknowledged; returns how many messages came. */
  int pullOnce(EventHub hub) throws IOException, InterruptedException {
    ObjectNode pull = Json.MAPPER.createObjectNode().put("maxMessages", MAX_MESSAGES);
    JsonNode received = call(":pull", pull).path("receivedMessages");
    if (received.isEmpty()) {
      return 0;
    }
    ObjectNode acknowledge = Json.MAPPER.createObjectNode();
    ArrayNode ackIds = acknowledge.putArray("ackIds");
    for (JsonNode message : received) {
      ackIds.add(message.path("ackId").asText());
      String data = message.path("message").path("data").asText("");
      try {
        hub.publishLine(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        hub.skipMalformed("a message whose data is not base64 (" + e.getMessage() + ")");
      }
    }
    call(":acknowledge", acknowledge);
    return received.size();
  }

  private JsonNode call(String verb, JsonNode body) throws IOException, InterruptedException {
    URI uri = URI.create(rootUrl + "/v1/" + subscriptionPath + verb);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (credentials != null && credentials.hasRequestMetadata()) {
      for (Map.Entry<String, List<String>> header :
          credentials.getRequestMetadata(uri).entrySet()) {
        for (String value : header.getValue()) {
          request.header(header.getKey(), value);
        }
      }
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "Pub/Sub "
              + verb
              + " on "
              + subscriptionPath
              + ": HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    return response.body().isBlank()
        ? Json.MAPPER.createObjectNode()
        : Json.MAPPER.readTree(response.body());
  }

  @Override
  public String toString() {
    return "Pub/Sub subscription " + subscriptionPath + " at " + rootUrl;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
