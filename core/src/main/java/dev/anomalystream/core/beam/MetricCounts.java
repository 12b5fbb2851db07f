package dev.anomalystream.core.beam;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads a finished pipeline's counters. Every counter of this project is named after the class that
 * counts ({@code Metrics.counter(Owner.class, name)}, as Beam's examples and the Dataflow templates
 * do), so a counter is looked up by that class and its name.
 */
public final class MetricCounts {
  private MetricCounts() {}

  /** The attempted total of counter {@code name} of {@code owner}, summed over every step. */
  public static long attempted(PipelineResult result, Class<?> owner, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(owner, name)).build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  /**
   * The largest value distribution {@code name} of {@code owner} saw, over every step; 0 if none.
   */
  public static long maximum(PipelineResult result, Class<?> owner, String name) {
    long max = 0;
    for (MetricResult<DistributionResult> distribution :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.named(owner, name)).build())
            .getDistributions()) {
      max = Math.max(max, distribution.getAttempted().getMax());
    }
    return max;
  }
}
