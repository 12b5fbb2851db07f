package dev.anomalystream.ingest;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.anomalystream.core.testing.PubsubEmulator;
import dev.anomalystream.core.testing.SubmitOnlyRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ingest template's entry point, launched as Dataflow launches it. */
class IngestLaunchTest {
  // the launch checks the topic exists before it submits the job
  @RegisterExtension static final PubsubEmulator PUBSUB = new PubsubEmulator();

  @TempDir Path dir;

  @Test
  void mainReturnsWithoutWaitingForTheJob() throws Exception {
    Path input = Files.writeString(dir.resolve("train.txt"), "i feel sad today;sadness\n");
    List<String> args = new ArrayList<>(PUBSUB.beamArgs());
    args.add("--runner=" + SubmitOnlyRunner.class.getName());
    args.add("--input=" + input);
    args.add("--topic=launch-test");
    args.add("--rejectsOutput=" + dir.resolve("rejects"));

    // SubmitOnlyRunner's job never finishes and fails the test if anyone waits for it or reads
    // its counters
    IngestPipeline.main(args.toArray(String[]::new));

    assertSame(
        SubmitOnlyRunner.class,
        SubmitOnlyRunner.lastSubmitted().getOptions().getRunner(),
        "the main submitted the job");
  }
}
