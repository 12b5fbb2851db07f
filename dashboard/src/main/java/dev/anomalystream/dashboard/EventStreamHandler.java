package dev.anomalystream.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /events}: the rows as server-sent events, for as long as the browser stays. First a
 * {@code hello} (the server's epoch, so the page knows a restarted server, and whether the stream
 * view is followed), then the recent rows, windows and topics after the browser's {@code
 * Last-Event-ID}, then each new one as it comes ({@code row}, {@code window}, {@code topic}
 * events), the counters ({@code stats}) whenever they change, and a comment every 15 s when nothing
 * else was sent. Each connection holds one server thread.
 */
final class EventStreamHandler implements HttpHandler {
  static final long HEARTBEAT_MILLIS = 15_000;
  private static final long STATS_MILLIS = 500;
  private static final long RECONNECT_MILLIS = 2_000;

  private final EventHub hub;

  EventStreamHandler(EventHub hub) {
    this.hub = hub;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        StaticResourceHandler.sendStatus(exchange, 405, "only GET");
        return;
      }
      SecurityHeaders.addTo(exchange.getResponseHeaders());
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      // 0: a chunked body of unknown length, written as the events come
      exchange.sendResponseHeaders(200, 0);
      EventHub.Subscription subscription =
          hub.subscribe(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
      try {
        stream(exchange.getResponseBody(), subscription);
      } catch (IOException e) {
        // the browser went away: nothing to do but let go of its queue
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        hub.unsubscribe(subscription.queue());
      }
    }
  }

  private void stream(OutputStream out, EventHub.Subscription subscription)
      throws IOException, InterruptedException {
    ClientQueue queue = subscription.queue();
    write(out, ServerSentEvents.retry(RECONNECT_MILLIS));
    write(out, ServerSentEvents.event(null, "hello", hub.helloJson()));
    writeRows(out, subscription.replay());
    String lastStats = null;
    long lastWrite = System.currentTimeMillis();
    while (!queue.isClosed()) {
      List<RowEvent> events = queue.takeAll(STATS_MILLIS);
      boolean wrote = writeRows(out, events);
      String stats = hub.statsJson(queue);
      if (!stats.equals(lastStats)) {
        write(out, ServerSentEvents.event(null, "stats", stats));
        lastStats = stats;
        wrote = true;
      }
      long now = System.currentTimeMillis();
      if (wrote) {
        lastWrite = now;
      } else if (now - lastWrite >= HEARTBEAT_MILLIS) {
        write(out, ServerSentEvents.comment("heartbeat"));
        lastWrite = now;
      }
    }
  }

  private boolean writeRows(OutputStream out, List<RowEvent> events) throws IOException {
    if (events.isEmpty()) {
      return false;
    }
    StringBuilder text = new StringBuilder();
    for (RowEvent event : events) {
      text.append(ServerSentEvents.event(hub.eventId(event), event.type(), event.json()));
    }
    write(out, text.toString());
    return true;
  }

  /** Flushed at once: the JDK server would otherwise hold a chunk back until its buffer fills. */
  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
