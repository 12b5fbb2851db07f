package dev.anomalystream.core.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns texts into L2-normalised sentence vectors with an ONNX encoder and its Hugging Face
 * tokenizer. Thread-safe: ONNX Runtime sessions and DJL tokenizers may be used from many threads at
 * once, and nothing here is mutable after construction. In a pipeline take the per-JVM instance
 * from {@link SharedEmbedders} instead of opening one per DoFn.
 */
public final class SentenceEmbedder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SentenceEmbedder.class);

  private final String spec;
  private final String modelId;
  private final PoolingMode pooling;
  private final int maxSequenceLength;
  private final int inferenceBatchSize;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Device device;
  private final HuggingFaceTokenizer tokenizer;
  private final Set<GraphSignature.Input> inputs;
  private final String output;
  private final boolean outputIsPooled;
  private final int dimension;

  private SentenceEmbedder(EmbedderOptions options, ModelArtifacts artifacts)
      throws IOException, OrtException {
    this.spec = options.model().toString();
    this.modelId = options.model().modelId();
    this.pooling = artifacts.pooling();
    this.maxSequenceLength =
        options.maxSequenceLength() > 0
            ? options.maxSequenceLength()
            : artifacts.maxSequenceLength();
    this.inferenceBatchSize = options.inferenceBatchSize();
    this.environment = OrtEnvironment.getEnvironment();
    OrtSession opened = null;
    Device runsOn = Device.CPU;
    if (options.device() == Device.CUDA) {
      try {
        opened = openSession(options, artifacts, environment, Device.CUDA);
        runsOn = Device.CUDA;
      } catch (OrtException e) {
        // the CPU-only onnxruntime jar has no CUDA provider at all; the GPU jar fails here when
        // the driver, CUDA or cuDNN libraries or the device itself are missing
        LOG.warn(
            "{}: --device=cuda but the CUDA execution provider cannot start here ({}; providers"
                + " in this ONNX Runtime build: {}): running on the CPU",
            modelId,
            e.getMessage(),
            OrtEnvironment.getAvailableProviders());
      }
    }
    this.session = opened != null ? opened : openSession(options, artifacts, environment, runsOn);
    this.device = runsOn;
    LOG.info(
        "{}: ONNX Runtime execution provider {} (device {} requested)",
        modelId,
        runsOn == Device.CUDA ? "CUDA, device 0" : "CPU",
        options.device());
    try {
      this.inputs = GraphSignature.selectInputs(session.getInputNames());
      this.output = GraphSignature.selectOutput(new ArrayList<>(session.getOutputNames()));
      this.outputIsPooled = GraphSignature.POOLED_OUTPUT.equals(output);
      this.tokenizer = artifacts.openTokenizer(tokenizerOptions(maxSequenceLength));
    } catch (RuntimeException e) {
      session.close();
      throw new IllegalArgumentException(artifacts.origin() + ": " + e.getMessage(), e);
    }
    // the output's last axis may be symbolic in the graph, so measure it on a real text;
    // this also warms the session up before the first real batch
    try {
      this.dimension = embed(List.of(""))[0].length;
    } catch (RuntimeException e) {
      close();
      throw new IllegalArgumentException(
          artifacts.origin() + ": the model fails on a test text: " + e.getMessage(), e);
    }
  }

  /** Opens a model; prefer {@link SharedEmbedders#get} in pipelines. */
  public static SentenceEmbedder open(EmbedderOptions options) throws IOException {
    ModelArtifacts artifacts = ModelArtifacts.resolve(options);
    try {
      return new SentenceEmbedder(options, artifacts);
    } catch (OrtException e) {
      throw new IOException(
          artifacts.origin() + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  private static OrtSession openSession(
      EmbedderOptions options, ModelArtifacts artifacts, OrtEnvironment environment, Device device)
      throws IOException, OrtException {
    try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
      sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (device == Device.CUDA) {
        // nodes the CUDA provider has no kernel for still run on the CPU provider, which ONNX
        // Runtime always appends last
        sessionOptions.addCUDA(0);
      }
      // Idle intra-op threads sleep instead of spinning: a worker runs many DoFn threads and
      // other stages on the same cores, and spinning threads take CPU they need. On this 2-core
      // shared machine that doubled int8 throughput (see docs/BENCHMARKS.md).
      sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
      if (options.intraOpThreads() > 0) {
        sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (options.interOpThreads() > 0) {
        sessionOptions.setInterOpNumThreads(options.interOpThreads());
      }
      return artifacts.openSession(environment, sessionOptions);
    }
  }

  /**
   * No padding from the tokenizer (a batch is padded here, only to its longest text) and truncation
   * at the token limit, whatever the tokenizer.json itself says.
   */
  private static Map<String, String> tokenizerOptions(int maxSequenceLength) {
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "true");
    options.put("padding", "false");
    options.put("truncation", "true");
    options.put("maxLength", Integer.toString(maxSequenceLength));
    options.put("modelMaxLength", Integer.toString(maxSequenceLength));
    return options;
  }

  /** L2-normalised vectors, one per text, in input order. Empty texts are fine. */
  public float[][] embed(List<String> texts) {
    return embedBatch(texts).vectors();
  }

  /**
   * Like {@link #embed} and also counts the texts cut at the token limit. Texts are ordered by
   * token count and run in slices of the inference batch size, so each slice is padded only to its
   * own longest text.
   */
  public EmbeddedBatch embedBatch(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new IllegalArgumentException("text " + i + " of " + texts.size() + " is null");
      }
    }
    float[][] vectors = new float[texts.size()][];
    if (texts.isEmpty()) {
      return new EmbeddedBatch(vectors, 0);
    }
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int truncated = 0;
    for (Encoding encoding : encodings) {
      if (encoding.exceedMaxLength()) {
        truncated++;
      }
    }
    int[] order = indicesByLength(encodings);
    for (int start = 0; start < order.length; start += inferenceBatchSize) {
      int[] slice =
          Arrays.copyOfRange(order, start, Math.min(order.length, start + inferenceBatchSize));
      float[][] sliceVectors = run(encodings, slice);
      for (int k = 0; k < slice.length; k++) {
        vectors[slice[k]] = sliceVectors[k];
      }
    }
    return new EmbeddedBatch(vectors, truncated);
  }

  /** Text indices ordered by token count (packed into longs to sort without boxing). */
  private static int[] indicesByLength(Encoding[] encodings) {
    long[] keys = new long[encodings.length];
    for (int i = 0; i < encodings.length; i++) {
      keys[i] = ((long) encodings[i].getIds().length << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /** One ONNX Runtime call for the given texts, right-padded to the longest of them. */
  private float[][] run(Encoding[] encodings, int[] slice) {
    int batch = slice.length;
    int[] lengths = new int[batch];
    int sequenceLength = 0;
    for (int k = 0; k < batch; k++) {
      lengths[k] = encodings[slice[k]].getIds().length;
      sequenceLength = Math.max(sequenceLength, lengths[k]);
    }
    long[] shape = {batch, sequenceLength};
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      EnumMap<GraphSignature.Input, LongBuffer> buffers = new EnumMap<>(GraphSignature.Input.class);
      for (GraphSignature.Input input : inputs) {
        // direct buffers are handed to ONNX Runtime without a copy; zero is the padding value
        // of all three inputs
        buffers.put(input, directLongs(batch * sequenceLength));
      }
      for (int k = 0; k < batch; k++) {
        Encoding encoding = encodings[slice[k]];
        int rowStart = k * sequenceLength;
        for (Map.Entry<GraphSignature.Input, LongBuffer> entry : buffers.entrySet()) {
          LongBuffer buffer = entry.getValue();
          switch (entry.getKey()) {
            case INPUT_IDS:
              buffer.put(rowStart, encoding.getIds());
              break;
            case TOKEN_TYPE_IDS:
              buffer.put(rowStart, encoding.getTypeIds());
              break;
            default:
              for (int t = 0; t < lengths[k]; t++) {
                buffer.put(rowStart + t, 1L);
              }
          }
        }
      }
      for (Map.Entry<GraphSignature.Input, LongBuffer> entry : buffers.entrySet()) {
        feed.put(
            entry.getKey().graphName,
            OnnxTensor.createTensor(environment, entry.getValue(), shape));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(output))) {
        OnnxTensor tensor = (OnnxTensor) result.get(0);
        long[] outputShape = tensor.getInfo().getShape();
        int vectorSize = (int) outputShape[outputShape.length - 1];
        float[][] vectors =
            outputIsPooled
                ? rows(tensor, batch, vectorSize)
                : Pooling.pool(
                    tensor.getFloatBuffer(), lengths, sequenceLength, vectorSize, pooling);
        for (float[] vector : vectors) {
          Pooling.normalize(vector);
        }
        return vectors;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          modelId + ": inference failed on a batch of " + batch + ": " + e.getMessage(), e);
    } finally {
      for (OnnxTensor tensor : feed.values()) {
        tensor.close();
      }
    }
  }

  private static LongBuffer directLongs(int size) {
    return ByteBuffer.allocateDirect(size * Long.BYTES)
        .order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }

  private static float[][] rows(OnnxTensor pooled, int batch, int vectorSize) {
    FloatBuffer values = pooled.getFloatBuffer();
    float[][] vectors = new float[batch][vectorSize];
    for (int k = 0; k < batch; k++) {
      values.get(vectors[k]);
    }
    return vectors;
  }

  public int dimension() {
    return dimension;
  }

  /**
   * Where the model runs: {@link Device#CUDA} only when it was asked for and the CUDA provider
   * started; otherwise {@link Device#CPU}.
   */
  public Device device() {
    return device;
  }

  /** The spec the model was opened from, see {@link EmbeddingModelSpec#parse}. */
  public String spec() {
    return spec;
  }

  /** The stable model name recorded with every vector, see {@link EmbeddingModelSpec#modelId}. */
  public String modelId() {
    return modelId;
  }

  public PoolingMode pooling() {
    return pooling;
  }

  public int maxSequenceLength() {
    return maxSequenceLength;
  }

  @Override
  public void close() {
    tokenizer.close();
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(modelId + ": cannot close the ONNX Runtime session", e);
    }
  }
}
