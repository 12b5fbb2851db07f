package dev.anomalystream.core.simd;

import org.apache.lucene.util.VectorUtil;

/**
 * Whether this JVM can run the SIMD kernels of {@link VectorKernel}, and dot products that use them
 * when it can. The launchers start every JVM with {@code --add-modules jdk.incubator.vector}; a JVM
 * without it (another module's tests, Dataflow's harness) gets the same answers from scalar code,
 * to float rounding.
 */
public final class Simd {
  /** The JVM resolved the incubating Vector API module, so {@link VectorKernel} can be loaded. */
  public static final boolean AVAILABLE =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private Simd() {}

  /**
   * The dot product of two vectors of one length: SIMD lanes when {@link #AVAILABLE}, else Lucene's
   * unrolled scalar loop (Lucene's own SIMD code needs Java 21).
   */
  public static float dot(float[] a, float[] b) {
    return AVAILABLE ? VectorKernel.dot(a, b) : VectorUtil.dotProduct(a, b);
  }
}
