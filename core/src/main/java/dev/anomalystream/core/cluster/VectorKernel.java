package dev.anomalystream.core.cluster;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD squared distance with the JDK's incubating Vector API. Only loaded when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link EuclideanDistances#VECTORIZED}).
 *
 * <p>Sums (a − b)² directly in float lanes: no cancellation, so float accumulation stays within
 * about 1e-6 relative, whatever the data's offset from the origin.
 */
final class VectorKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private VectorKernel() {}

  static double squaredDistance(float[] a, float[] b, int offset) {
    int lanes = SPECIES.length();
    // two accumulators so consecutive fused multiply-adds do not wait on each other
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
}
