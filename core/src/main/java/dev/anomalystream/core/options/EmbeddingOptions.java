package dev.anomalystream.core.options;

import dev.anomalystream.core.embedding.EmbeddingModelSpec;
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

  @Description("ONNX Runtime intra-op threads per model session (0 = ONNX Runtime's default)")
  @Default.Integer(0)
  int getIntraOpThreads();

  void setIntraOpThreads(int value);
}
