package dev.anomalystream.core.detection;

import dev.anomalystream.core.embedding.FloatArrayCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** Compact deterministic coder for {@link Detection}. */
public final class DetectionCoder extends CustomCoder<Detection> {
  private static final DetectionCoder INSTANCE = new DetectionCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();
  private static final NullableCoder<Double> NULLABLE_DOUBLE = NullableCoder.of(DOUBLE);
  private static final NullableCoder<float[]> NULLABLE_FLOATS =
      NullableCoder.of(FloatArrayCoder.of());

  public static DetectionCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Detection d, OutputStream out) throws IOException {
    InboundMessageCoder.of().encode(d.message(), out);
    VarIntCoder.of().encode(d.cluster(), out);
    DOUBLE.encode(d.probability(), out);
    NULLABLE_DOUBLE.encode(d.outlierScore(), out);
    NULLABLE_DOUBLE.encode(d.knnScore(), out);
    BooleanCoder.of().encode(d.isAnomaly(), out);
    STRING.encode(d.decision(), out);
    NULLABLE_DOUBLE.encode(d.threshold(), out);
    STRING.encode(d.modelVersion(), out);
    STRING.encode(d.embeddingModel(), out);
    Instants.INSTANCE.encode(d.processedTime(), out);
    NULLABLE_FLOATS.encode(d.embedding(), out);
  }

  @Override
  public Detection decode(InputStream in) throws IOException {
    return new Detection(
        InboundMessageCoder.of().decode(in),
        VarIntCoder.of().decode(in),
        DOUBLE.decode(in),
        NULLABLE_DOUBLE.decode(in),
        NULLABLE_DOUBLE.decode(in),
        BooleanCoder.of().decode(in),
        STRING.decode(in),
        NULLABLE_DOUBLE.decode(in),
        STRING.decode(in),
        STRING.decode(in),
        Instants.INSTANCE.decode(in),
        NULLABLE_FLOATS.decode(in));
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() {}
}
