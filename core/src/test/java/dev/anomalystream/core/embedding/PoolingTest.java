package dev.anomalystream.core.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class PoolingTest {
  /**
   * Two sequences, 3 positions, 2 dimensions. Row 0 has 2 real tokens then padding whose values
   * (99, -99) would show up in any pooling that failed to skip it; row 1 has 3 real tokens.
   */
  private static final float[] TOKENS = {
    1, 4, 3, 2, 99, -99,
    -1, 0, 5, 6, 0, -3
  };

  private static final int[] LENGTHS = {2, 3};

  private static float[][] pool(PoolingMode mode) {
    return Pooling.pool(FloatBuffer.wrap(TOKENS), LENGTHS, 3, 2, mode);
  }

  @Test
  void meanSkipsPadding() {
    float[][] pooled = pool(PoolingMode.MEAN);
    assertArrayEquals(new float[] {2, 3}, pooled[0]);
    assertArrayEquals(new float[] {4f / 3, 1}, pooled[1], 1e-6f);
  }

  @Test
  void maxSkipsPadding() {
    float[][] pooled = pool(PoolingMode.MAX);
    assertArrayEquals(new float[] {3, 4}, pooled[0]);
    assertArrayEquals(new float[] {5, 6}, pooled[1]);
  }

  @Test
  void clsTakesTheFirstToken() {
    float[][] pooled = pool(PoolingMode.CLS);
    assertArrayEquals(new float[] {1, 4}, pooled[0]);
    assertArrayEquals(new float[] {-1, 0}, pooled[1]);
  }

  @Test
  void aTensorOfTheWrongSizeIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Pooling.pool(FloatBuffer.wrap(TOKENS), LENGTHS, 4, 2, PoolingMode.MEAN));
  }

  @Test
  void normalizeGivesUnitLengthAndKeepsZero() {
    float[] vector = {3, 4};
    Pooling.normalize(vector);
    assertArrayEquals(new float[] {0.6f, 0.8f}, vector, 1e-7f);
    float[] zero = {0, 0};
    Pooling.normalize(zero);
    assertEquals(0f, zero[0]);
  }
}
