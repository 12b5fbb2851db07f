package dev.anomalystream.core.embedding;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything that decides how a {@link SentenceEmbedder} is built. Immutable, serializable (it
 * travels inside DoFns) and a value type: {@link SharedEmbedders} keys its per-JVM registry on it,
 * so two DoFns with equal options share one ONNX Runtime session.
 */
public final class EmbedderOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_HUB_BASE_URL = "https://huggingface.co";
  public static final int DEFAULT_INFERENCE_BATCH_SIZE = 16;

  private final EmbeddingModelSpec model;
  private final int maxSequenceLength;
  private final int intraOpThreads;
  private final int interOpThreads;
  private final int inferenceBatchSize;
  private final String hubBaseUrl;
  private final String cacheDirectory;
  private final Device device;

  private EmbedderOptions(
      EmbeddingModelSpec model,
      int maxSequenceLength,
      int intraOpThreads,
      int interOpThreads,
      int inferenceBatchSize,
      String hubBaseUrl,
      String cacheDirectory,
      Device device) {
    this.model = Objects.requireNonNull(model, "model");
    this.maxSequenceLength = requireAtLeast(maxSequenceLength, 0, "maxSequenceLength");
    this.intraOpThreads = requireAtLeast(intraOpThreads, 0, "intraOpThreads");
    this.interOpThreads = requireAtLeast(interOpThreads, 0, "interOpThreads");
    this.inferenceBatchSize = requireAtLeast(inferenceBatchSize, 1, "inferenceBatchSize");
    this.hubBaseUrl = Objects.requireNonNull(hubBaseUrl, "hubBaseUrl");
    this.cacheDirectory = cacheDirectory;
    this.device = Objects.requireNonNull(device, "device");
  }

  private static int requireAtLeast(int value, int minimum, String name) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
    }
    return value;
  }

  /** Options for a model spec (see {@link EmbeddingModelSpec#parse}) with every default. */
  public static EmbedderOptions of(String modelSpec) {
    return of(EmbeddingModelSpec.parse(modelSpec));
  }

  public static EmbedderOptions of(EmbeddingModelSpec model) {
    return new EmbedderOptions(
        model, 0, 0, 0, DEFAULT_INFERENCE_BATCH_SIZE, DEFAULT_HUB_BASE_URL, null, Device.CPU);
  }

  /** The default model ({@link EmbeddingModelSpec#DEFAULT}, from the classpath). */
  public static EmbedderOptions defaults() {
    return of(EmbeddingModelSpec.defaultModel());
  }

  /** Token limit per text; 0 means the model's own (sentence_bert_config.json, else 128). */
  public EmbedderOptions withMaxSequenceLength(int tokens) {
    return new EmbedderOptions(
        model,
        tokens,
        intraOpThreads,
        interOpThreads,
        inferenceBatchSize,
        hubBaseUrl,
        cacheDirectory,
        device);
  }

  /** ONNX Runtime threads inside one operator; 0 means ONNX Runtime's default (one per core). */
  public EmbedderOptions withIntraOpThreads(int threads) {
    return new EmbedderOptions(
        model,
        maxSequenceLength,
        threads,
        interOpThreads,
        inferenceBatchSize,
        hubBaseUrl,
        cacheDirectory,
        device);
  }

  /** ONNX Runtime threads across independent operators; 0 means ONNX Runtime's default. */
  public EmbedderOptions withInterOpThreads(int threads) {
    return new EmbedderOptions(
        model,
        maxSequenceLength,
        intraOpThreads,
        threads,
        inferenceBatchSize,
        hubBaseUrl,
        cacheDirectory,
        device);
  }

  /**
   * Most texts per ONNX Runtime call. Larger {@code embed} inputs are sorted by length and cut into
   * runs of this size, so short texts are not padded to the length of a long one.
   */
  public EmbedderOptions withInferenceBatchSize(int texts) {
    return new EmbedderOptions(
        model,
        maxSequenceLength,
        intraOpThreads,
        interOpThreads,
        texts,
        hubBaseUrl,
        cacheDirectory,
        device);
  }

  /** Base URL files of {@code hf://} models are fetched from (a local server in tests). */
  public EmbedderOptions withHubBaseUrl(String url) {
    return new EmbedderOptions(
        model,
        maxSequenceLength,
        intraOpThreads,
        interOpThreads,
        inferenceBatchSize,
        url,
        cacheDirectory,
        device);
  }

  /** Where {@code hf://} models are cached; default {@code ~/.cache/anomaly-stream/models}. */
  public EmbedderOptions withCacheDirectory(Path directory) {
    return new EmbedderOptions(
        model,
        maxSequenceLength,
        intraOpThreads,
        interOpThreads,
        inferenceBatchSize,
        hubBaseUrl,
        directory.toString(),
        device);
  }

  /**
   * Where ONNX Runtime runs the model (default {@link Device#CPU}). {@link Device#CUDA} falls back
   * to the CPU, with a warning, where no CUDA provider can start.
   */
  public EmbedderOptions withDevice(Device device) {
    return new EmbedderOptions(
        model,
        maxSequenceLength,
        intraOpThreads,
        interOpThreads,
        inferenceBatchSize,
        hubBaseUrl,
        cacheDirectory,
        device);
  }

  public EmbeddingModelSpec model() {
    return model;
  }

  public int maxSequenceLength() {
    return maxSequenceLength;
  }

  public int intraOpThreads() {
    return intraOpThreads;
  }

  public int interOpThreads() {
    return interOpThreads;
  }

  public int inferenceBatchSize() {
    return inferenceBatchSize;
  }

  public Device device() {
    return device;
  }

  public String hubBaseUrl() {
    return hubBaseUrl;
  }

  /** Resolved where it is used, not where options are built: the two may be different machines. */
  public Path cacheDirectory() {
    return cacheDirectory != null
        ? Path.of(cacheDirectory)
        : Path.of(System.getProperty("user.home"), ".cache", "anomaly-stream", "models");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EmbedderOptions)) {
      return false;
    }
    EmbedderOptions other = (EmbedderOptions) o;
    return model.equals(other.model)
        && maxSequenceLength == other.maxSequenceLength
        && intraOpThreads == other.intraOpThreads
        && interOpThreads == other.interOpThreads
        && inferenceBatchSize == other.inferenceBatchSize
        && hubBaseUrl.equals(other.hubBaseUrl)
        && Objects.equals(cacheDirectory, other.cacheDirectory)
        && device == other.device;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model,
        maxSequenceLength,
        intraOpThreads,
        interOpThreads,
        inferenceBatchSize,
        hubBaseUrl,
        cacheDirectory,
        device);
  }

  @Override
  public String toString() {
    return "EmbedderOptions{model="
        + model
        + ", maxSequenceLength="
        + maxSequenceLength
        + ", intraOpThreads="
        + intraOpThreads
        + ", interOpThreads="
        + interOpThreads
        + ", inferenceBatchSize="
        + inferenceBatchSize
        + ", hubBaseUrl="
        + hubBaseUrl
        + ", cacheDirectory="
        + cacheDirectory
        + ", device="
        + device
        + "}";
  }
}
