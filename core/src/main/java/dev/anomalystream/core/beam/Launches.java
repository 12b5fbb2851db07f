package dev.anomalystream.core.beam;

import org.apache.beam.sdk.PipelineResult;

/**
 * What a pipeline's main may do after {@code run()}. It never calls {@code waitUntilFinish()}: a
 * Flex Template launcher returns only when the main does, and Dataflow fails a launch whose main
 * outlives its polling ("Timeout in polling result file"; a streaming job never finishes). Local
 * runs need no wait either: the DirectRunner's {@code run()} runs the job to its end itself unless
 * {@code --blockOnRun=false}, batch and streaming alike. So a main reports a run's figures and exit
 * code only when {@code run()} returned a finished job, and otherwise says where they will be.
 */
public final class Launches {
  private Launches() {}

  /** True when the runner ran the job to its end inside {@code run()} (the DirectRunner). */
  public static boolean finished(PipelineResult result) {
    PipelineResult.State state = result.getState();
    return state != null && state.isTerminal();
  }
}
