package dev.anomalystream.core.embedding;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Encodes a float vector as its length (varint) followed by the IEEE 754 bits of each value,
 * big-endian: 4 bytes a value, an exact round trip, and deterministic.
 */
public final class FloatArrayCoder extends CustomCoder<float[]> {
  private static final long serialVersionUID = 1L;
  private static final FloatArrayCoder INSTANCE = new FloatArrayCoder();

  public static FloatArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(float[] value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null float[]");
    }
    VarInt.encode(value.length, out);
    ByteBuffer bytes = ByteBuffer.allocate(value.length * Float.BYTES);
    bytes.asFloatBuffer().put(value);
    out.write(bytes.array());
  }

  @Override
  public float[] decode(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 0) {
      throw new CoderException("negative float[] length " + length);
    }
    byte[] bytes = new byte[length * Float.BYTES];
    // not closed: that would close the caller's stream
    new DataInputStream(in).readFully(bytes);
    float[] value = new float[length];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(value);
    return value;
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    // float[] uses identity equality, so equal encodings do not mean equal values
    return false;
  }

  @Override
  protected long getEncodedElementByteSize(float[] value) throws Exception {
    return VarInt.getLength(value.length) + (long) value.length * Float.BYTES;
  }
}
