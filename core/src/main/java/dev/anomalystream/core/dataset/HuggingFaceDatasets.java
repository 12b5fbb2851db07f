package dev.anomalystream.core.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Downloads a split of a Hugging Face dataset ({@code hf://dair-ai/emotion?split=train}, optional
 * {@code &config=split}) through the dataset viewer's rows API, page by page, into a local JSON
 * lines cache that the ordinary {@link CorpusParser} then reads. A cached split is never fetched
 * again; a download is written to a temporary file and moved into place only when complete.
 */
public final class HuggingFaceDatasets {
  public static final String DEFAULT_ENDPOINT = "https://datasets-server.huggingface.co";
  private static final String SCHEME = "hf://";
  private static final int PAGE_SIZE = 100;
  private static final int ATTEMPTS = 4;

  private final String endpoint;
  private final Path cacheDir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

  public HuggingFaceDatasets(String endpoint, Path cacheDir) {
    this.endpoint = endpoint.replaceAll("/+$", "");
    this.cacheDir = cacheDir;
  }

  public static boolean isHubUri(String location) {
    return location != null && location.startsWith(SCHEME);
  }

  /** The dataset, config (null = find it) and split named by an {@code hf://} URI. */
  record HubSplit(String dataset, String config, String split) {
    static HubSplit parse(String uri) {
      if (!isHubUri(uri)) {
        throw new IllegalArgumentException("not an hf:// dataset URI: " + uri);
      }
      String rest = uri.substring(SCHEME.length());
      String path = rest.contains("?") ? rest.substring(0, rest.indexOf('?')) : rest;
      Map<String, String> query = new LinkedHashMap<>();
      if (rest.contains("?")) {
        for (String pair : rest.substring(rest.indexOf('?') + 1).split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            query.put(
                pair.substring(0, eq),
                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      if (!path.matches("[\\w.-]+/[\\w.-]+")) {
        throw new IllegalArgumentException(
            "hf:// URI must name <owner>/<dataset>, e.g. hf://dair-ai/emotion?split=train: " + uri);
      }
      return new HubSplit(path, query.get("config"), query.getOrDefault("split", "train"));
    }
  }

  /** Returns the local JSON lines file holding the split, downloading it when not cached. */
  public Path fetch(String uri) throws IOException {
    HubSplit wanted = HubSplit.parse(uri);
    if (wanted.config() == null) {
      Path cachedUnderAnyConfig = findCached(wanted);
      if (cachedUnderAnyConfig != null) {
        return cachedUnderAnyConfig;
      }
    }
    String config = wanted.config() != null ? wanted.config() : findConfig(wanted);
    // named after the split so the parser records the right split (train, validation, test)
    Path target =
        cacheDir.resolve(wanted.dataset()).resolve(config).resolve(wanted.split() + ".jsonl");
    if (Files.isRegularFile(target)) {
      return target;
    }
    Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(target.getParent(), wanted.split(), ".partial");
    try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      long total = Long.MAX_VALUE;
      for (long offset = 0; offset < total; offset += PAGE_SIZE) {
        JsonNode page =
            get(
                "/rows?dataset="
                    + enc(wanted.dataset())
                    + "&config="
                    + enc(config)
                    + "&split="
                    + enc(wanted.split())
                    + "&offset="
                    + offset
                    + "&length="
                    + PAGE_SIZE);
        total = page.path("num_rows_total").asLong(0);
        JsonNode rows = page.path("rows");
        if (!rows.isArray() || rows.isEmpty()) {
          break;
        }
        for (JsonNode row : rows) {
          out.write(row.path("row").toString());
          out.newLine();
        }
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    Files.move(
        partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  private Path findCached(HubSplit wanted) throws IOException {
    Path datasetDir = cacheDir.resolve(wanted.dataset());
    if (!Files.isDirectory(datasetDir)) {
      return null;
    }
    try (var configs = Files.list(datasetDir)) {
      return configs
          .map(config -> config.resolve(wanted.split() + ".jsonl"))
          .filter(Files::isRegularFile)
          .findFirst()
          .orElse(null);
    }
  }

  private String findConfig(HubSplit wanted) throws IOException {
    JsonNode splits = get("/splits?dataset=" + enc(wanted.dataset())).path("splits");
    for (JsonNode split : splits) {
      if (wanted.split().equals(split.path("split").asText())) {
        return split.path("config").asText();
      }
    }
    throw new IOException(
        "dataset "
            + wanted.dataset()
            + " has no split '"
            + wanted.split()
            + "' (splits: "
            + splits
            + ")");
  }

  private JsonNode get(String pathAndQuery) throws IOException {
    URI uri = URI.create(endpoint + pathAndQuery);
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return Json.MAPPER.readTree(response.body());
        }
        last =
            new IOException(
                "GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        boolean retryable = response.statusCode() == 429 || response.statusCode() >= 500;
        if (!retryable) {
          throw last;
        }
      } catch (IOException e) {
        if (e == last) {
          throw e;
        }
        last = new IOException("GET " + uri + " failed: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while downloading " + uri, e);
      }
      sleepBeforeRetry(attempt);
    }
    throw last;
  }

  private static void sleepBeforeRetry(int attempt) throws IOException {
    try {
      Thread.sleep(500L << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to retry", e);
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
