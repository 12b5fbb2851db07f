package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Detections without their embeddings (and the kNN similarities online learning uses): the stream
 * view needs them, rows keep embeddings only with --writeEmbeddings (1.5 KB a row in BigQuery
 * otherwise).
 */
final class DropEmbeddings extends PTransform<PCollection<Detection>, PCollection<Detection>> {
  @Override
  public PCollection<Detection> expand(PCollection<Detection> detections) {
    return detections
        .apply(
            "WithoutEmbedding",
            MapElements.into(TypeDescriptor.of(Detection.class))
                .via(
                    (Detection d) ->
                        d.toBuilder().setEmbedding(null).setKnnSimilarities(null).build()))
        .setCoder(SchemaCoders.of(Detection.class));
  }
}
