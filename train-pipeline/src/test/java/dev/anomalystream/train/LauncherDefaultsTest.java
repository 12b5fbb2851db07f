package dev.anomalystream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.Test;

/**
 * The DirectRunner's immutability and encodability checks: off by default in the launchers that run
 * a pipeline locally (scripts/lib.sh direct_runner_args), on in tests (TestPipeline).
 */
class LauncherDefaultsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String OFF = "--enforceImmutability=false --enforceEncodability=false";

  @Test
  void localRunsTurnTheChecksOff() throws Exception {
    assertEquals(OFF, directRunnerArgs(""));
    assertEquals(OFF, directRunnerArgs("--subscription=s --model=m"));
    assertEquals(OFF, directRunnerArgs("--runner=DirectRunner"));
    assertEquals(OFF, directRunnerArgs("--runner=org.apache.beam.runners.direct.DirectRunner"));
  }

  @Test
  void aFlagOfTheCallerOrAnotherRunnerAddsNothing() throws Exception {
    assertEquals("", directRunnerArgs("--enforceImmutability=true"));
    assertEquals("", directRunnerArgs("--enforceEncodability=true --model=m"));
    assertEquals("", directRunnerArgs("--runner=FlinkRunner --flinkMaster='[local]'"));
    assertEquals("", directRunnerArgs("--runner=DataflowRunner"));
  }

  @Test
  void everyLauncherOfALocalPipelineUsesIt() throws Exception {
    for (String launcher : List.of("detect", "ingest", "retrain")) {
      String script = Files.readString(ROOT.resolve("scripts").resolve(launcher));
      assertTrue(script.contains("direct_runner_args \"$@\""), launcher);
    }
  }

  @Test
  void testsKeepTheChecksOn() {
    DirectOptions options = TestPipeline.testingPipelineOptions().as(DirectOptions.class);
    assertTrue(options.isEnforceImmutability());
    assertTrue(options.isEnforceEncodability());
  }

  /** What direct_runner_args prints for the arguments, on one line. */
  private static String directRunnerArgs(String args) throws Exception {
    Process process =
        new ProcessBuilder(
                "bash",
                "-c",
                "source scripts/lib.sh && direct_runner_args " + args + " | paste -sd ' ' -")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), args);
    assertEquals(0, process.exitValue(), output);
    return output.strip();
  }
}
