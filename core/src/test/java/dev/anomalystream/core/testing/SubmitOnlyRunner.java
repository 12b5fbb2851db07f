package dev.anomalystream.core.testing;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/**
 * A runner that behaves like a job submission to Dataflow (and so like a Flex Template launch):
 * {@code run} returns at once with a job that keeps running. Waiting for it is a test failure, so a
 * main run with {@code --runner=SubmitOnlyRunner} shows it returns without waiting.
 */
public final class SubmitOnlyRunner extends PipelineRunner<PipelineResult> {
  private static final AtomicReference<Pipeline> LAST = new AtomicReference<>();
  private final PipelineOptions options;

  private SubmitOnlyRunner(PipelineOptions options) {
    this.options = options;
  }

  /** Beam's factory method, called by {@code PipelineRunner.fromOptions}. */
  public static SubmitOnlyRunner fromOptions(PipelineOptions options) {
    return new SubmitOnlyRunner(options);
  }

  /** The pipeline last submitted, with the options it was submitted with. */
  public static Pipeline lastSubmitted() {
    return LAST.get();
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    LAST.set(pipeline);
    return new PipelineResult() {
      @Override
      public State getState() {
        return State.RUNNING;
      }

      @Override
      public State cancel() {
        return State.CANCELLED;
      }

      @Override
      public State waitUntilFinish(Duration duration) {
        throw new AssertionError("waited for a submitted job of " + options.getJobName());
      }

      @Override
      public State waitUntilFinish() {
        throw new AssertionError("waited for a submitted job of " + options.getJobName());
      }

      @Override
      public MetricResults metrics() {
        throw new AssertionError("read the metrics of a running job of " + options.getJobName());
      }
    };
  }
}
