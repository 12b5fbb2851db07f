package dev.anomalystream.core.beam;

import org.apache.beam.sdk.PipelineResult;
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
}
