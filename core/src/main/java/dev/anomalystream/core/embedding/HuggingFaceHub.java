package dev.anomalystream.core.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Fetches the files a sentence embedder needs from a Hugging Face Hub repository into a local cache
 * ({@code <cache>/<org>/<name>/}), once: a later call with the same cache needs no network. The
 * base URL is configurable so tests can serve a repository from a local HTTP server.
 */
final class HuggingFaceHub {
  /** Written last, so an interrupted download is retried instead of used half-done. */
  static final String COMPLETE_MARKER = ".download-complete";

  private static final List<String> OPTIONAL_FILES =
      List.of(ModelArtifacts.POOLING_CONFIG_FILE, ModelArtifacts.SENTENCE_BERT_CONFIG_FILE);

  private final String baseUrl;
  private final Path cacheRoot;
  private final HttpClient http;

  HuggingFaceHub(String baseUrl, Path cacheRoot) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.cacheRoot = cacheRoot;
    // the Hub answers /resolve/ with a redirect to its CDN
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  /** The local directory holding the repository's files, downloading them when not cached. */
  Path download(String repository) throws IOException {
    Path directory = cacheRoot.resolve(repository);
    if (Files.isRegularFile(directory.resolve(COMPLETE_MARKER))) {
      return directory;
    }
    Files.createDirectories(directory);
    if (!fetch(repository, ModelArtifacts.TOKENIZER_FILE, directory)) {
      throw new IOException(missing(repository, ModelArtifacts.TOKENIZER_FILE));
    }
    boolean haveModel = false;
    for (String candidate : ModelArtifacts.MODEL_FILE_CANDIDATES) {
      if (fetch(repository, candidate, directory)) {
        haveModel = true;
        break;
      }
    }
    if (!haveModel) {
      throw new IOException(
          missing(repository, String.join(" or ", ModelArtifacts.MODEL_FILE_CANDIDATES))
              + "; export the model to ONNX as model-artifacts/README.md describes and use"
              + " the local directory instead");
    }
    for (String optional : OPTIONAL_FILES) {
      fetch(repository, optional, directory);
    }
    Files.writeString(directory.resolve(COMPLETE_MARKER), baseUrl + "/" + repository + "\n");
    return directory;
  }

  private String missing(String repository, String file) {
    return "Hugging Face repository " + repository + " at " + baseUrl + " has no " + file;
  }

  /** Downloads one file; false when the repository does not have it (HTTP 404). */
  private boolean fetch(String repository, String file, Path directory) throws IOException {
    URI uri = URI.create(baseUrl + "/" + repository + "/resolve/main/" + file);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + uri, e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() == 404) {
        return false;
      }
      if (response.statusCode() != 200) {
        throw new IOException("downloading " + uri + " failed: HTTP " + response.statusCode());
      }
      Path target = directory.resolve(file);
      Files.createDirectories(target.getParent());
      Path partial = target.resolveSibling(target.getFileName() + ".part");
      Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      return true;
    }
  }
}
