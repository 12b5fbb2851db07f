package dev.anomalystream.core.detection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A {@code java.time.Instant} coder at microsecond precision (BigQuery's TIMESTAMP precision). */
final class Instants extends CustomCoder<Instant> {
  static final Instants INSTANCE = new Instants();
  static final NullableCoder<Instant> NULLABLE = NullableCoder.of(INSTANCE);
  private static final VarLongCoder LONG = VarLongCoder.of();

  @Override
  public void encode(Instant value, OutputStream out) throws IOException {
    LONG.encode(value.getEpochSecond() * 1_000_000L + value.getNano() / 1_000, out);
  }

  @Override
  public Instant decode(InputStream in) throws IOException {
    long micros = LONG.decode(in);
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() {}
}
