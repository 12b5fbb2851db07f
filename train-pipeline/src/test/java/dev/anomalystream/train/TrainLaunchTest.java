package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.anomalystream.core.testing.SubmitOnlyRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retraining template's entry point, launched as Dataflow launches it. */
class TrainLaunchTest {
  @TempDir Path dir;

  @Test
  void mainReturnsWithoutWaitingForTheJobOrExiting() throws Exception {
    // SubmitOnlyRunner's job never finishes and fails the test if anyone waits for it or reads
    // its counters; a System.exit would end the test JVM
    TrainPipeline.main(
        new String[] {
          "--runner=" + SubmitOnlyRunner.class.getName(),
          "--historyFiles=" + dir.resolve("rows") + "/*.json",
          "--modelRoot=" + dir.resolve("models"),
          "--reportDirectory=" + dir.resolve("report"),
          "--tempLocation=" + dir.resolve("tmp"),
        });

    assertSame(
        SubmitOnlyRunner.class,
        SubmitOnlyRunner.lastSubmitted().getOptions().getRunner(),
        "the main submitted the job");
  }
}
