package dev.anomalystream.core.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the JDK's incubating Vector API. Only loaded when the JVM runs with {@code
 * --add-modules jdk.incubator.vector}: callers check {@link Simd#AVAILABLE} first.
 *
 * <p>Each loop keeps two accumulators so consecutive fused multiply-adds do not wait on each other.
 */
public final class VectorKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorKernel() {}

  /**
   * Squared distance from {@code a} to the {@code a.length} values of {@code b} from {@code
   * offset}. Sums (a − b)² directly in float lanes: no cancellation, so float accumulation stays
   * within about 1e-6 relative, whatever the data's offset from the origin.
   */
  public static double squaredDistance(float[] a, float[] b, int offset) {
    int lanes = SPECIES.length();
    FloatVector sum0 = FloatVector.zero(SPECIES);
    FloatVector sum1 = FloatVector.zero(SPECIES);
    int d = 0;
    for (int end = a.length - 2 * lanes; d <= end; d += 2 * lanes) {
      FloatVector diff0 =
          FloatVector.fromArray(SPECIES, a, d).sub(FloatVector.fromArray(SPECIES, b, offset + d));
      FloatVector diff1 =
          FloatVector.fromArray(SPECIES, a, d + lanes)
              .sub(FloatVector.fromArray(SPECIES, b, offset + d + lanes));
      sum0 = diff0.fma(diff0, sum0);
      sum1 = diff1.fma(diff1, sum1);
    }
    double sum = sum0.add(sum1).reduceLanes(VectorOperators.ADD);
    for (; d < a.length; d++) {
      double diff = a[d] - b[offset + d];
      sum += diff * diff;
    }
    return sum;
  }

  /** The dot product of two vectors of one length, summed in lanes (not in dimension order). */
  public static float dot(float[] a, float[] b) {
    int lanes = SPECIES.length();
    FloatVector sum0 = FloatVector.zero(SPECIES);
    FloatVector sum1 = FloatVector.zero(SPECIES);
    int d = 0;
    for (int end = a.length - 2 * lanes; d <= end; d += 2 * lanes) {
      sum0 = FloatVector.fromArray(SPECIES, a, d).fma(FloatVector.fromArray(SPECIES, b, d), sum0);
      sum1 =
          FloatVector.fromArray(SPECIES, a, d + lanes)
              .fma(FloatVector.fromArray(SPECIES, b, d + lanes), sum1);
    }
    float sum = sum0.add(sum1).reduceLanes(VectorOperators.ADD);
    for (; d < a.length; d++) {
      sum = Math.fma(a[d], b[d], sum);
    }
    return sum;
  }
}
