package dev.anomalystream.core.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** A local cache of embeddings, for command-line tools that embed the same files again. */
public interface EmbeddingCacheOptions extends PipelineOptions {
  @Description("Directory caching embeddings per input file and embedding model; none by default")
  String getEmbeddingCache();

  void setEmbeddingCache(String value);
}
