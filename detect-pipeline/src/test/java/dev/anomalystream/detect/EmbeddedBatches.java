package dev.anomalystream.detect;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.beam.ToListFn;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.embedding.FloatArrayCoder;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Tests' stand-in for EmbedTexts' batched output (the input ScoreMessages takes): embedded messages
 * made up by a test (their coder set to {@link #PAIR_CODER}), each its own batch, or all of a
 * bounded input in one.
 */
final class EmbeddedBatches {
  static final KvCoder<InboundMessage, float[]> PAIR_CODER =
      KvCoder.of(SchemaCoders.of(InboundMessage.class), FloatArrayCoder.of());

  private EmbeddedBatches() {}

  /** Each message a batch of one, keeping its timestamp. */
  static PTransform<
          PCollection<KV<InboundMessage, float[]>>, PCollection<List<KV<InboundMessage, float[]>>>>
      oneEach() {
    return new PTransform<>() {
      @Override
      public PCollection<List<KV<InboundMessage, float[]>>> expand(
          PCollection<KV<InboundMessage, float[]>> embedded) {
        return embedded
            .apply(
                "OneEach",
                MapElements.into(new TypeDescriptor<List<KV<InboundMessage, float[]>>>() {})
                    .via(List::of))
            .setCoder(ListCoder.of(PAIR_CODER));
      }
    };
  }

  /** A bounded input's messages in one batch. */
  static PTransform<
          PCollection<KV<InboundMessage, float[]>>, PCollection<List<KV<InboundMessage, float[]>>>>
      together() {
    return new PTransform<>() {
      @Override
      public PCollection<List<KV<InboundMessage, float[]>>> expand(
          PCollection<KV<InboundMessage, float[]>> embedded) {
        return embedded
            .apply("Together", Combine.globally(ToListFn.<KV<InboundMessage, float[]>>create()))
            .setCoder(ListCoder.of(PAIR_CODER));
      }
    };
  }
}
