package dev.anomalystream.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.testing.SubmitOnlyRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

class LaunchesTest {
  /** Why the local launchers need no waitUntilFinish: the DirectRunner's run() does the wait. */
  @Test
  void aDirectRunnerBatchJobHasFinishedWhenRunReturns() {
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    pipeline
        .apply(Create.of(1, 2, 3))
        .apply(MapElements.into(TypeDescriptors.integers()).via((Integer i) -> i * 2));

    PipelineResult result = pipeline.run();

    assertTrue(Launches.finished(result));
    assertEquals(PipelineResult.State.DONE, result.getState());
  }

  @Test
  void aSubmittedJobHasNot() {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=" + SubmitOnlyRunner.class.getName()).create();
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(Create.of(1));

    assertFalse(Launches.finished(pipeline.run()));
  }
}
