package dev.anomalystream.core.options;

import dev.anomalystream.core.beam.FlinkSettings;
import dev.anomalystream.core.embedding.Device;
import dev.anomalystream.core.embedding.EmbeddingModelSpec;
import java.util.OptionalInt;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which sentence-embedding model embeds the texts, and how ONNX Runtime runs it. */
public interface EmbeddingOptions extends PipelineOptions {
  @Description(
      "Sentence-embedding model: builtin:NAME, a directory in Hugging Face layout, or"
          + " hf://org/name; default: the one the model version served or retrained was trained"
          + " with, else "
          + EmbeddingModelSpec.DEFAULT)
  String getEmbeddingModel();

  void setEmbeddingModel(String value);

  @Description(
      "ONNX Runtime intra-op threads per embedding call. 0 (default) = automatic: 1 in the"
          + " pipelines (detect, retrain), where every DoFn thread makes its own calls, so the"
          + " worker's cores and --numberOfWorkerHarnessThreads decide the concurrency instead of"
          + " each concurrent batch claiming every core, except on Flink's embedded cluster, where"
          + " each of the --parallelism subtasks gets cores / parallelism; all cores in the"
          + " one-caller commands (train, evaluate, tune). docs/BENCHMARKS.md has the measurement")
  @Default.Integer(0)
  int getIntraOpThreads();

  void setIntraOpThreads(int value);

  @Description(
      "Where ONNX Runtime runs the embedding model: cpu (default) or cuda (GPU 0; needs a build"
          + " with -Pgpu, an NVIDIA driver, CUDA and cuDNN). Without them the embedder logs a"
          + " warning and runs on the CPU; the provider in use is logged at every model load")
  @Default.String("cpu")
  String getDevice();

  void setDevice(String value);

  /** {@link #getDevice()} parsed; refuses values other than cpu and cuda. */
  static Device device(EmbeddingOptions options) {
    return Device.parse(options.getDevice());
  }

  /**
   * The intra-op threads a pipeline's embedder uses: the option when set, else one per call.
   * Runners call an embedding DoFn from many threads at once (a Dataflow streaming worker from up
   * to numberOfWorkerHarnessThreads), all sharing one session per JVM; with ONNX Runtime's own
   * default every one of those calls would spread over all cores and they would crowd each other
   * out (see docs/BENCHMARKS.md, "Threads on a busy worker"). Flink's embedded cluster is the
   * exception: it runs each operator as exactly {@code --parallelism} subtasks in this JVM, so
   * fewer subtasks than cores leave the rest idle unless each call spreads over cores /
   * parallelism.
   */
  static int pipelineIntraOpThreads(EmbeddingOptions options) {
    int threads = options.getIntraOpThreads();
    if (threads != 0) {
      return threads;
    }
    OptionalInt subtasks = FlinkSettings.parallelismInThisJvm(options);
    return subtasks.isPresent()
        ? Math.max(1, Runtime.getRuntime().availableProcessors() / subtasks.getAsInt())
        : 1;
  }
}
