package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

class FloatArrayCoderTest {
  private static final FloatArrayCoder CODER = FloatArrayCoder.of();

  @Test
  void roundTripsEveryValueExactly() throws CoderException {
    float[][] samples = {
      {},
      {0.5f},
      {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 1e-7f},
      new float[384]
    };
    for (float[] sample : samples) {
      byte[] bytes = CoderUtils.encodeToByteArray(CODER, sample);
      float[] decoded = CoderUtils.decodeFromByteArray(CODER, bytes);
      assertEquals(sample.length, decoded.length);
      for (int i = 0; i < sample.length; i++) {
        assertEquals(Float.floatToRawIntBits(sample[i]), Float.floatToRawIntBits(decoded[i]));
      }
    }
  }

  @Test
  void usesFourBytesAValuePlusTheLength() throws CoderException {
    assertEquals(2 + 384 * 4, CoderUtils.encodeToByteArray(CODER, new float[384]).length);
  }

  @Test
  void aTruncatedEncodingIsAnError() throws CoderException {
    byte[] bytes = CoderUtils.encodeToByteArray(CODER, new float[] {1, 2, 3});
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
    assertThrows(Exception.class, () -> CoderUtils.decodeFromByteArray(CODER, cut));
  }

  @Test
  void survivesJavaSerialization() throws CoderException {
    FloatArrayCoder copy = SerializableUtils.clone(CODER);
    float[] value = {1.5f, -2.25f};
    byte[] bytes = CoderUtils.encodeToByteArray(CODER, value);
    assertArrayEquals(value, CoderUtils.decodeFromByteArray(copy, bytes));
  }
}
