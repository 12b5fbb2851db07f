package dev.anomalystream.core.detection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * Compact deterministic coder for {@link InboundMessage}: no Java serialization on the hot path.
 */
public final class InboundMessageCoder extends CustomCoder<InboundMessage> {
  private static final InboundMessageCoder INSTANCE = new InboundMessageCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final NullableCoder<String> NULLABLE_STRING = NullableCoder.of(STRING);

  public static InboundMessageCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(InboundMessage value, OutputStream out) throws IOException {
    STRING.encode(value.uid(), out);
    STRING.encode(value.text(), out);
    NULLABLE_STRING.encode(value.label(), out);
    Instants.NULLABLE.encode(value.eventTime(), out);
    Instants.NULLABLE.encode(value.publishTime(), out);
  }

  @Override
  public InboundMessage decode(InputStream in) throws IOException {
    return new InboundMessage(
        STRING.decode(in),
        STRING.decode(in),
        NULLABLE_STRING.decode(in),
        Instants.NULLABLE.decode(in),
        Instants.NULLABLE.decode(in));
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() {}
}
