package dev.anomalystream.dashboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's reader of {@code /events}: the raw lines of the stream, collected on a thread of its own
 * so that a test waits with a timeout instead of hanging on a blocked read.
 */
final class EventStreamClient implements AutoCloseable {
  private final HttpResponse<InputStream> response;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private EventStreamClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // closed by the test or the server
              }
            },
            "test-event-stream");
    reader.setDaemon(true);
    reader.start();
  }

  static EventStreamClient connect(int port, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
            .timeout(Duration.ofSeconds(10));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new EventStreamClient(
        HttpClient.newHttpClient()
            .send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  /** The lines of the next event whose lines include {@code wanted}, blank line excluded. */
  List<String> nextEventWith(String wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> event = new ArrayList<>();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no event with '" + wanted + "' within " + timeout);
      }
      if (!line.isEmpty()) {
        event.add(line);
      } else if (event.contains(wanted)) {
        return event;
      } else {
        event.clear();
      }
    }
  }

  /** The next raw line, or null after the timeout. */
  String nextLine(Duration timeout) throws InterruptedException {
    return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the server ended the stream within the timeout. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
    return !reader.isAlive();
  }

  @Override
  public void close() throws IOException {
    response.body().close();
    reader.interrupt();
  }
}
