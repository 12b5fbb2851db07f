package dev.anomalystream.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The page and its files, from the classpath: the dashboard's own ({@code dashboard/}) and uPlot's
 * from its WebJar. Only the paths listed here are served, read once at start.
 */
final class StaticResourceHandler implements HttpHandler {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/";

  private final Map<String, Resource> resources;

  private StaticResourceHandler(Map<String, Resource> resources) {
    this.resources = resources;
  }

  static StaticResourceHandler load() {
    return new StaticResourceHandler(
        Map.of(
            "/", Resource.load("dashboard/index.html", "text/html; charset=utf-8"),
            "/app.js", Resource.load("dashboard/app.js", "text/javascript; charset=utf-8"),
            "/app.css", Resource.load("dashboard/app.css", "text/css; charset=utf-8"),
            "/uplot.js",
                Resource.load(UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/uplot.css", Resource.load(UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8"),
            "/uplot-LICENSE", Resource.load(UPLOT + "LICENSE", "text/plain; charset=utf-8")));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Resource resource = resources.get(exchange.getRequestURI().getPath());
      if (resource == null) {
        sendStatus(exchange, 404, "not found");
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        sendStatus(exchange, 405, "only GET");
        return;
      }
      SecurityHeaders.addTo(exchange.getResponseHeaders());
      exchange.getResponseHeaders().set("Content-Type", resource.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : resource.bytes().length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(resource.bytes());
        }
      }
    }
  }

  static void sendStatus(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    SecurityHeaders.addTo(exchange.getResponseHeaders());
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The WebJar's version, from the Maven metadata inside it: its resource paths carry it. */
  private static String uplotVersion() {
    try (InputStream in =
        StaticResourceHandler.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "uPlot's WebJar (org.webjars.npm:uplot) is not on the" + " classpath");
      }
      java.util.Properties properties = new java.util.Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Resource(byte[] bytes, String contentType) {
    static Resource load(String path, String contentType) {
      try (InputStream in =
          StaticResourceHandler.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + path);
        }
        return new Resource(in.readAllBytes(), contentType);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
