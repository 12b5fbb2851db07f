package dev.anomalystream.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class SimdTest {
  /** Lengths below one SIMD register, at whole registers, and with a scalar tail. */
  private static final int[] LENGTHS = {1, 7, 16, 33, 384, 385};

  @Test
  void coreTestsRunWithTheVectorApiSoTheKernelsBelowAreExercised() {
    assertTrue(Simd.AVAILABLE, "core/pom.xml starts the test JVM with jdk.incubator.vector");
  }

  @Test
  void dotProductAgreesWithTheScalarSumAtEveryLength() {
    Random random = new Random(3);
    for (int length : LENGTHS) {
      float[] a = randomVector(random, length);
      float[] b = randomVector(random, length);
      double exact = 0;
      for (int d = 0; d < length; d++) {
        exact += (double) a[d] * b[d];
      }
      assertEquals(exact, VectorKernel.dot(a, b), 1e-5, "length " + length);
      assertEquals(exact, Simd.dot(a, b), 1e-5, "length " + length);
      assertEquals(exact, VectorUtil.dotProduct(a, b), 1e-5, "scalar, length " + length);
    }
  }

  @Test
  void squaredDistanceReadsTheSecondVectorFromItsOffset() {
    Random random = new Random(5);
    for (int length : LENGTHS) {
      float[] a = randomVector(random, length);
      float[] packed = randomVector(random, 3 * length);
      double exact = 0;
      for (int d = 0; d < length; d++) {
        double diff = a[d] - packed[length + d];
        exact += diff * diff;
      }
      assertEquals(exact, VectorKernel.squaredDistance(a, packed, length), 1e-5 * (1 + exact));
    }
  }

  private static float[] randomVector(Random random, int length) {
    float[] vector = new float[length];
    for (int d = 0; d < length; d++) {
      vector[d] = (float) random.nextGaussian();
    }
    return vector;
  }
}
