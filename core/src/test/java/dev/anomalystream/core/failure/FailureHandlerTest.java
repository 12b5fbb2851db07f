package dev.anomalystream.core.failure;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.beam.MetricCounts;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.junit.jupiter.api.Test;

class FailureHandlerTest {
  @Test
  void closingSendsEveryStagesFailuresToTheSinkCountedPerStage() {
    Pipeline pipeline = Pipeline.create();
    Failure decode = Failure.of("decode", "empty", "");
    Failure embed = Failure.of("embed", "too long", "x");
    Failure alsoEmbed = Failure.of("embed", "too long", "y");
    try (FailureHandler failures =
        FailureHandler.writingTo("CheckFailures", expecting(decode, embed, alsoEmbed))) {
      failures.addErrorCollection(pipeline.apply("Decode", Create.of(decode)));
      failures.addErrorCollection(pipeline.apply("Embed", Create.of(embed, alsoEmbed)));
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(3, counter(result, "dead_letters"));
    assertEquals(1, counter(result, "dead_letters_decode"));
    assertEquals(2, counter(result, "dead_letters_embed"));
  }

  @Test
  void isClosedOnceAndTakesNothingAfter() {
    Pipeline pipeline = Pipeline.create();
    PCollection<Failure> one = pipeline.apply(Create.of(Failure.of("read", "r", "p")));
    FailureHandler failures = FailureHandler.writingTo("CheckFailures", expecting());
    assertThrows(IllegalStateException.class, failures::getOutput);
    assertThrows(IllegalStateException.class, failures::close, "nothing was added");
    failures.addErrorCollection(one);
    failures.close();

    assertThrows(IllegalStateException.class, failures::close);
    assertThrows(IllegalStateException.class, () -> failures.addErrorCollection(one));
  }

  @Test
  void refusesFailuresWithoutTheSchemaCoderWhichFlinkCouldNotUnion() {
    Pipeline pipeline = Pipeline.create();
    PCollection<Failure> serialized =
        pipeline.apply(
            "Serialized",
            Create.of(Failure.of("read", "r", "p")).withCoder(SerializableCoder.of(Failure.class)));
    FailureHandler failures = FailureHandler.writingTo("CheckFailures", expecting());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> failures.addErrorCollection(serialized));
    assertTrue(refused.getMessage().contains("Serialized"), refused.getMessage());
  }

  private static PTransform<PCollection<Failure>, PDone> expecting(Failure... expected) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<Failure> input) {
        PAssert.that(input)
            .satisfies(
                actual -> {
                  assertEquals(
                      Set.of(expected),
                      StreamSupport.stream(actual.spliterator(), false).collect(toSet()));
                  return null;
                });
        return PDone.in(input.getPipeline());
      }
    };
  }

  private static long counter(PipelineResult result, String name) {
    return MetricCounts.attempted(result, FailureHandler.class, name);
  }
}
