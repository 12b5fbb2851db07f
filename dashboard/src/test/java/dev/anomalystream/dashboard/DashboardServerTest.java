package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real server on a free loopback port, read over HTTP as a browser would. */
class DashboardServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private EventHub hub;
  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    hub = new EventHub("epoch", 100, 100);
    server = DashboardServer.start("127.0.0.1", 0, hub);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void streamsHelloRowsAndStatsAsServerSentEvents() throws Exception {
    hub.publishLine(TestRows.line("u-1", "one", false, 0.1));
    try (EventStreamClient client = EventStreamClient.connect(server.port(), null)) {
      assertEquals(200, client.response().statusCode());
      assertEquals(
          "text/event-stream; charset=utf-8",
          client.response().headers().firstValue("Content-Type").orElseThrow());
      assertSecurityHeaders(client.response());
      assertEquals("retry: 2000", client.nextLine(WAIT));
      assertEquals("", client.nextLine(WAIT));
      assertEquals(
          List.of("event: hello", "data: {\"epoch\":\"epoch\",\"stream_view\":false}"),
          client.nextEventWith("event: hello", WAIT));
      List<String> first = client.nextEventWith("event: row", WAIT);
      assertEquals("id: epoch-1", first.get(0));
      assertTrue(first.get(2).startsWith("data: {\"uid\":\"u-1\""), first.get(2));
      hub.publishLine(TestRows.line("u-2", "two", true, 0.9));
      assertEquals("id: epoch-2", client.nextEventWith("event: row", WAIT).get(0));
      Awaitility.await().atMost(WAIT).until(() -> hub.clientCount() == 1);
      assertTrue(
          client
              .nextEventWith("event: stats", WAIT)
              .get(1)
              .startsWith("data: {\"rows\":2,\"anomalies\":1,\"malformed\":0"));
    }
    Awaitility.await("the server letting go of a closed stream")
        .atMost(WAIT)
        .until(
            () -> {
              hub.publishLine(TestRows.line("u-x", "nudge", false, 0.1));
              return hub.clientCount() == 0;
            });
  }

  @Test
  void aReconnectingBrowserGetsOnlyTheRowsAfterItsLastEventId() throws Exception {
    for (int i = 1; i <= 5; i++) {
      hub.publishLine(TestRows.line("u-" + i, "text", false, 0.1));
    }
    try (EventStreamClient client = EventStreamClient.connect(server.port(), "epoch-3")) {
      assertEquals("id: epoch-4", client.nextEventWith("event: row", WAIT).get(0));
      assertEquals("id: epoch-5", client.nextEventWith("event: row", WAIT).get(0));
    }
  }

  @Test
  void windowAndTopicEventsShareTheIdsAndResumeLikeRows() throws Exception {
    hub.streamViewFollowed();
    hub.publishWindowLine(TestRows.window("2026-11-30T07:20:00Z", 4.0, 0));
    hub.publishLine(TestRows.line("u-1", "text", true, 0.9));
    hub.publishTopicLine(TestRows.topic("t-1", "2026-11-30T07:20:00Z", 5, TestRows.HOSTILE_TEXT));
    try (EventStreamClient client = EventStreamClient.connect(server.port(), "epoch-1")) {
      assertEquals(
          "data: {\"epoch\":\"epoch\",\"stream_view\":true}",
          client.nextEventWith("event: hello", WAIT).get(1));
      // the window (epoch-1) was seen: the replay starts with the row after it
      assertEquals("id: epoch-2", client.nextLine(WAIT));
      assertEquals("event: row", client.nextLine(WAIT));
      List<String> topic = client.nextEventWith("event: topic", WAIT);
      assertEquals("id: epoch-3", topic.get(0));
      assertTrue(topic.get(2).startsWith("data: {\"topic_id\":\"t-1\""), topic.get(2));
      hub.publishWindowLine(TestRows.window("2026-11-30T07:21:00Z", 1.0, 0));
      List<String> window = client.nextEventWith("event: window", WAIT);
      assertEquals("id: epoch-4", window.get(0));
      assertTrue(window.get(2).contains("\"window_end\":\"2026-11-30T07:21:00Z\""));
    }
  }

  @Test
  void servesThePageAndUplotWithTheSecurityHeaders() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/", "/app.js", "/app.css", "/uplot.js", "/uplot.css")) {
      HttpResponse<String> response = get(http, path);
      assertEquals(200, response.statusCode(), path);
      assertSecurityHeaders(response);
    }
    assertTrue(get(http, "/uplot.js").body().contains("uPlot"));
    assertTrue(get(http, "/").body().contains("<script src=\"/app.js\" defer></script>"));
    HttpResponse<String> missing = get(http, "/../../etc/passwd");
    assertEquals(404, missing.statusCode());
    assertSecurityHeaders(missing);
  }

  @Test
  void closingEndsOpenStreams() throws Exception {
    try (EventStreamClient client = EventStreamClient.connect(server.port(), null)) {
      client.nextEventWith("event: hello", WAIT);
      server.close();
      assertTrue(client.awaitEnd(WAIT), "the stream is still open");
      assertEquals(0, hub.clientCount());
    }
  }

  private HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertSecurityHeaders(HttpResponse<?> response) {
    assertEquals(
        SecurityHeaders.CONTENT_SECURITY_POLICY,
        response.headers().firstValue("Content-Security-Policy").orElseThrow());
    assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
  }
}
