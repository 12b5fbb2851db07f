package dev.anomalystream.core.beam;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Gathers a combine's inputs into one list (Beam's Java SDK has no such combiner). Meant for inputs
 * that fit one worker's memory: a pane of alerts, a model's training vectors.
 */
public final class ToListFn<T> extends Combine.CombineFn<T, List<T>, List<T>> {
  private ToListFn() {}

  public static <T> ToListFn<T> create() {
    return new ToListFn<>();
  }

  @Override
  public List<T> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<T> addInput(List<T> accumulator, T input) {
    accumulator.add(input);
    return accumulator;
  }

  @Override
  public List<T> mergeAccumulators(Iterable<List<T>> accumulators) {
    List<T> merged = new ArrayList<>();
    accumulators.forEach(merged::addAll);
    return merged;
  }

  @Override
  public List<T> extractOutput(List<T> accumulator) {
    return accumulator;
  }
}
