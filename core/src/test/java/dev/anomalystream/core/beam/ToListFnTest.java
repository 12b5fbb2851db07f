package dev.anomalystream.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class ToListFnTest {
  @Test
  void mergedAccumulatorsKeepEveryInput() {
    ToListFn<String> fn = ToListFn.create();
    List<String> first = fn.addInput(fn.addInput(fn.createAccumulator(), "a"), "b");
    List<String> second = fn.addInput(fn.createAccumulator(), "c");
    List<String> empty = fn.createAccumulator();

    assertEquals(
        List.of("a", "b", "c"),
        fn.extractOutput(fn.mergeAccumulators(List.of(first, empty, second))));
  }

  @Test
  void itsOutputCoderIsAListOfTheInputCoder() {
    PCollection<List<String>> lists =
        Pipeline.create()
            .apply(Create.of("x", "y"))
            .apply(Combine.globally(ToListFn.<String>create()));
    assertEquals(ListCoder.of(StringUtf8Coder.of()), lists.getCoder());
  }
}
