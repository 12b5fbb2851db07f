package dev.anomalystream.core.embedding;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one embedding model, found and checked before any session is opened: the ONNX graph,
 * the tokenizer definition, and the sentence-transformers settings (pooling mode, token limit) with
 * their defaults when a model does not ship them.
 */
final class ModelArtifacts {
  private static final Logger LOG = LoggerFactory.getLogger(ModelArtifacts.class);
  static final int DEFAULT_MAX_SEQUENCE_LENGTH = 128;
  static final String TOKENIZER_FILE = "tokenizer.json";
  static final List<String> MODEL_FILE_CANDIDATES = List.of("model.onnx", "onnx/model.onnx");
  static final String POOLING_CONFIG_FILE = "1_Pooling/config.json";
  static final String SENTENCE_BERT_CONFIG_FILE = "sentence_bert_config.json";

  private final String origin;
  // exactly one of the two is set: builtin models live in jars, others on disk
  private final Path modelFile;
  private final String modelResource;
  // where a builtin graph is extracted to once, see extractedModel; null for models on disk
  private final Path cacheDirectory;
  private final byte[] tokenizerJson;
  private final PoolingMode pooling;
  private final int maxSequenceLength;

  private ModelArtifacts(
      String origin,
      Path modelFile,
      String modelResource,
      Path cacheDirectory,
      byte[] tokenizerJson,
      PoolingMode pooling,
      int maxSequenceLength) {
    this.origin = origin;
    this.modelFile = modelFile;
    this.modelResource = modelResource;
    this.cacheDirectory = cacheDirectory;
    this.tokenizerJson = tokenizerJson;
    this.pooling = pooling;
    this.maxSequenceLength = maxSequenceLength;
  }

  /** Finds the files the options name, downloading an {@code hf://} model into the cache first. */
  static ModelArtifacts resolve(EmbedderOptions options) throws IOException {
    EmbeddingModelSpec spec = options.model();
    switch (spec.source()) {
      case BUILTIN:
        return fromClasspath(spec.builtin(), options.cacheDirectory());
      case HUGGING_FACE_HUB:
        HuggingFaceHub hub = new HuggingFaceHub(options.hubBaseUrl(), options.cacheDirectory());
        return fromDirectory(hub.download(spec.hubRepository()));
      default:
        return fromDirectory(spec.localDirectory());
    }
  }

  /**
   * A model inside a langchain4j jar: the graph ends at last_hidden_state, the pooling is the
   * upstream model's (recorded in {@link EmbeddingModelSpec.Builtin}), and the token limit is the
   * default 128, which tweets and single sentences stay well under. The graph is extracted into
   * {@code cacheDirectory} at its first session (see {@link #extractedModel}).
   */
  static ModelArtifacts fromClasspath(EmbeddingModelSpec.Builtin builtin, Path cacheDirectory)
      throws IOException {
    ClassLoader classLoader = ModelArtifacts.class.getClassLoader();
    String origin = "builtin model " + builtin.specName;
    requireResource(builtin.onnxResource, builtin, classLoader).close();
    byte[] tokenizer;
    try (InputStream in = requireResource(builtin.tokenizerResource, builtin, classLoader)) {
      tokenizer = in.readAllBytes();
    }
    return new ModelArtifacts(
        origin,
        null,
        builtin.onnxResource,
        cacheDirectory,
        tokenizer,
        builtin.pooling,
        DEFAULT_MAX_SEQUENCE_LENGTH);
  }

  /**
   * A builtin's resource, or an error naming the jar that holds it and how to add it: each pipeline
   * ships only the model jars it serves (the detector the default BGE-small-en-v1.5 and its int8
   * twin), so a model trained on another builtin can meet a classpath without its jar.
   */
  static InputStream requireResource(
      String name, EmbeddingModelSpec.Builtin builtin, ClassLoader classLoader) throws IOException {
    InputStream in = classLoader.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          "builtin embedding model "
              + builtin.specName
              + " is not on this classpath (no resource "
              + name
              + "): its jar "
              + builtin.mavenArtifact
              + " is left out of this pipeline's runtime classpath to keep workers small. Add it"
              + " as a runtime <dependency> of the pipeline's pom.xml (version: the parent pom's"
              + " langchain4j-embeddings.version) and rebuild, or serve the model from a Hugging"
              + " Face-layout directory or an hf:// spec with --embeddingModel");
    }
    return in;
  }

  /** A directory in Hugging Face layout; a missing or unreadable file is named in the error. */
  static ModelArtifacts fromDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("model directory " + directory + " does not exist");
    }
    Path modelFile = findModelFile(directory);
    Path tokenizerFile = directory.resolve(TOKENIZER_FILE);
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new IOException("model directory " + directory + " is missing " + TOKENIZER_FILE);
    }
    Path poolingFile = directory.resolve(POOLING_CONFIG_FILE);
    PoolingMode pooling =
        Files.isRegularFile(poolingFile) ? readPoolingMode(poolingFile) : PoolingMode.MEAN;
    Path sentenceBertFile = directory.resolve(SENTENCE_BERT_CONFIG_FILE);
    int maxSequenceLength =
        Files.isRegularFile(sentenceBertFile)
            ? readMaxSequenceLength(sentenceBertFile)
            : DEFAULT_MAX_SEQUENCE_LENGTH;
    return new ModelArtifacts(
        "model directory " + directory,
        modelFile,
        null,
        null,
        Files.readAllBytes(tokenizerFile),
        pooling,
        maxSequenceLength);
  }

  private static Path findModelFile(Path directory) throws IOException {
    for (String candidate : MODEL_FILE_CANDIDATES) {
      Path file = directory.resolve(candidate);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IOException(
        "model directory "
            + directory
            + " is missing model.onnx (looked for "
            + String.join(" and ", MODEL_FILE_CANDIDATES)
            + "); see model-artifacts/README.md for exporting a model to ONNX");
  }

  /** Reads sentence-transformers' pooling flags, of which exactly one must be one we support. */
  static PoolingMode readPoolingMode(Path file) throws IOException {
    JsonNode config = readJson(file);
    List<PoolingMode> enabled = new ArrayList<>();
    if (config.path("pooling_mode_mean_tokens").asBoolean(false)) {
      enabled.add(PoolingMode.MEAN);
    }
    if (config.path("pooling_mode_cls_token").asBoolean(false)) {
      enabled.add(PoolingMode.CLS);
    }
    if (config.path("pooling_mode_max_tokens").asBoolean(false)) {
      enabled.add(PoolingMode.MAX);
    }
    List<String> unsupported = new ArrayList<>();
    for (String flag :
        List.of(
            "pooling_mode_mean_sqrt_len_tokens",
            "pooling_mode_weightedmean_tokens",
            "pooling_mode_lasttoken")) {
      if (config.path(flag).asBoolean(false)) {
        unsupported.add(flag);
      }
    }
    if (!unsupported.isEmpty()) {
      throw new IOException(
          file + ": unsupported pooling " + unsupported + "; use mean, cls or max");
    }
    if (enabled.size() != 1) {
      throw new IOException(
          file
              + ": expected exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token,"
              + " pooling_mode_max_tokens to be true, found "
              + enabled);
    }
    return enabled.get(0);
  }

  static int readMaxSequenceLength(Path file) throws IOException {
    JsonNode length = readJson(file).get("max_seq_length");
    if (length == null || !length.canConvertToInt() || length.asInt() < 2) {
      throw new IOException(file + ": max_seq_length must be an integer >= 2, got " + length);
    }
    return length.asInt();
  }

  private static JsonNode readJson(Path file) throws IOException {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Where the model came from, for error messages. */
  String origin() {
    return origin;
  }

  PoolingMode pooling() {
    return pooling;
  }

  int maxSequenceLength() {
    return maxSequenceLength;
  }

  OrtSession openSession(OrtEnvironment environment, OrtSession.SessionOptions sessionOptions)
      throws IOException, OrtException {
    if (modelFile != null) {
      // by path, so ONNX Runtime also finds external-data files next to the graph
      return environment.createSession(modelFile.toString(), sessionOptions);
    }
    Path extracted = extractedModel();
    if (extracted != null) {
      return environment.createSession(extracted.toString(), sessionOptions);
    }
    try (InputStream in =
        ModelArtifacts.class.getClassLoader().getResourceAsStream(modelResource)) {
      if (in == null) {
        throw new IOException("classpath resource " + modelResource + " disappeared");
      }
      return environment.createSession(in.readAllBytes(), sessionOptions);
    }
  }

  /**
   * The builtin graph as a file of its own under {@code <cacheDirectory>/builtin/}, named after its
   * jar entry's CRC and size, extracted at the first session that needs it: inflating the 126 MB
   * BGE graph from its jar took about 1 s at every model load of every launch, and ONNX Runtime
   * reads the extracted file back from the page cache. Written aside and moved into place, so
   * processes extracting at once never see a partial file. Null where there is nothing to extract
   * (the resource is not in a jar) or it cannot be written (a read-only home, say): the session
   * then reads the graph from the jar.
   */
  private Path extractedModel() {
    URL url = ModelArtifacts.class.getClassLoader().getResource(modelResource);
    if (url == null || cacheDirectory == null) {
      return null;
    }
    Path partial = null;
    try {
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection)) {
        return null;
      }
      JarEntry entry = ((JarURLConnection) connection).getJarEntry();
      if (entry.getSize() < 0 || entry.getCrc() < 0) {
        return null;
      }
      String name = Path.of(modelResource).getFileName().toString();
      Path target =
          cacheDirectory
              .resolve("builtin")
              .resolve(String.format("%08x-%d-%s", entry.getCrc(), entry.getSize(), name));
      if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
        return target;
      }
      Files.createDirectories(target.getParent());
      partial = Files.createTempFile(target.getParent(), name, ".partial");
      try (InputStream in = connection.getInputStream()) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      if (Files.size(partial) != entry.getSize()) {
        throw new IOException(
            "extracted " + Files.size(partial) + " of " + entry.getSize() + " bytes");
      }
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.info("{}: graph extracted to {} for later loads", origin, target);
      return target;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{}: cannot extract the graph under {} ({}): reading it from the jar",
          origin,
          cacheDirectory,
          e.toString());
      return null;
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException e) {
          LOG.debug("cannot delete {}", partial, e);
        }
      }
    }
  }

  HuggingFaceTokenizer openTokenizer(Map<String, String> tokenizerOptions) {
    try {
      return HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(tokenizerJson), tokenizerOptions);
    } catch (IOException e) {
      throw new UncheckedIOException(origin + ": cannot read " + TOKENIZER_FILE, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          origin + ": " + TOKENIZER_FILE + " is not a valid tokenizer: " + e.getMessage(), e);
    }
  }
}
