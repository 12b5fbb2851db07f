package dev.anomalystream.core.failure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A compact, deterministic coder for {@link Failure}, so dead letters need no Java serialization.
 */
public final class FailureCoder extends CustomCoder<Failure> {
  private static final FailureCoder INSTANCE = new FailureCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
  private static final MapCoder<String, String> ATTRIBUTES = MapCoder.of(STRING, STRING);
  private static final InstantCoder INSTANT = InstantCoder.of();

  public static FailureCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Failure value, OutputStream out) throws IOException {
    STRING.encode(value.stage(), out);
    STRING.encode(value.reason(), out);
    BYTES.encode(value.payload(), out);
    ATTRIBUTES.encode(value.attributes(), out);
    INSTANT.encode(org.joda.time.Instant.ofEpochMilli(value.time().toEpochMilli()), out);
  }

  @Override
  public Failure decode(InputStream in) throws IOException {
    String stage = STRING.decode(in);
    String reason = STRING.decode(in);
    byte[] payload = BYTES.decode(in);
    Map<String, String> attributes = ATTRIBUTES.decode(in);
    Instant time = Instant.ofEpochMilli(INSTANT.decode(in).getMillis());
    return new Failure(stage, reason, payload, attributes, time);
  }

  @Override
  public List<? extends org.apache.beam.sdk.coders.Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() {}
}
