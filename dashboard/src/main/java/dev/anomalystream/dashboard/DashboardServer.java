package dev.anomalystream.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's HTTP server with the page ({@code /}, its scripts and styles) and the event stream
 * ({@code /events}). Every connection gets its own thread (an event stream holds one for as long as
 * its browser stays), from a pool of daemon threads.
 */
final class DashboardServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final EventHub hub;

  private DashboardServer(HttpServer server, ExecutorService threads, EventHub hub) {
    this.server = server;
    this.threads = threads;
    this.hub = hub;
  }

  /** Listening on {@code bind:port} (port 0: any free one) once it returns. */
  static DashboardServer start(String bind, int port, EventHub hub) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    AtomicInteger count = new AtomicInteger();
    ExecutorService threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "dashboard-http-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(threads);
    server.createContext("/", StaticResourceHandler.load());
    server.createContext("/events", new EventStreamHandler(hub));
    server.start();
    return new DashboardServer(server, threads, hub);
  }

  int port() {
    return server.getAddress().getPort();
  }

  EventHub hub() {
    return hub;
  }

  /** Ends the event streams, then the server and its threads. */
  @Override
  public void close() {
    hub.close();
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
