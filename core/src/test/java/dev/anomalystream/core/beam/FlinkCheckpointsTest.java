package dev.anomalystream.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.options.CheckpointOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkCheckpointsTest {
  @TempDir Path checkpoints;

  @Test
  void latestIsTheNewestCompletedCheckpointOverEveryJob() throws IOException {
    completed("job-a/chk-7", "2026-11-30T06:00:00Z");
    completed("job-b/chk-2", "2026-11-30T06:05:00Z");
    completed("job-b/chk-1", "2026-11-30T06:04:00Z");
    // newer, but no _metadata: Flink was killed while writing it
    Files.createDirectories(checkpoints.resolve("job-c/chk-1"));
    Files.createDirectories(checkpoints.resolve("job-b/shared"));

    assertEquals(Optional.of(checkpoints.resolve("job-b/chk-2")), LatestCheckpoint.in(checkpoints));
  }

  @Test
  void noCheckpointWhenTheDirectoryIsMissingOrHoldsNoneCompleted() throws IOException {
    assertEquals(Optional.empty(), LatestCheckpoint.in(checkpoints.resolve("absent")));
    Files.createDirectories(checkpoints.resolve("job-a/chk-1"));
    assertEquals(Optional.empty(), LatestCheckpoint.in(checkpoints));
  }

  @Test
  void otherRunnersAreLeftAlone() {
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create();
    FlinkCheckpoints.configure(options, checkpoints.toString());
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertNull(flink.getStateBackend());
    assertEquals(-1L, flink.getCheckpointingInterval());
  }

  @Test
  void flinkCheckpointsToTheDirectoryAndKeepsThemOnCancel() {
    FlinkPipelineOptions flink = configure("--runner=FlinkRunner");
    assertEquals(FlinkCheckpoints.DEFAULT_INTERVAL_MILLIS, flink.getCheckpointingInterval());
    assertEquals("filesystem", flink.getStateBackend());
    assertEquals(checkpoints.toUri().toString(), flink.getStateBackendStoragePath());
    assertTrue(flink.isExternalizedCheckpointsEnabled());
    assertTrue(flink.getRetainExternalizedCheckpointsOnCancellation());
    assertNull(flink.getSavepointPath(), "nothing to resume from yet");
    assertNull(flink.getFlinkConfDir());
  }

  @Test
  void theUsersIntervalAndDirectoryWin() {
    Path elsewhere = checkpoints.resolve("elsewhere");
    FlinkPipelineOptions flink =
        configure(
            "--runner=FlinkRunner",
            "--checkpointingInterval=2500",
            "--checkpointDirectory=" + elsewhere);
    assertEquals(2500L, flink.getCheckpointingInterval());
    assertEquals(elsewhere.toUri().toString(), flink.getStateBackendStoragePath());
  }

  @Test
  void anEmbeddedClusterResumesThroughAGeneratedConfiguration() throws IOException {
    Path latest = completed("job-a/chk-3", "2026-11-30T06:00:00Z");
    FlinkPipelineOptions flink = configure("--runner=FlinkRunner", "--flinkMaster=[local]");
    assertEquals(latest.toString(), flink.getSavepointPath());
    Path conf = Path.of(flink.getFlinkConfDir(), "flink-conf.yaml");
    assertEquals("execution.savepoint.path: " + latest + "\n", Files.readString(conf));
  }

  @Test
  void aRemoteClusterGetsTheSavepointPathOnly() throws IOException {
    Path latest = completed("job-a/chk-3", "2026-11-30T06:00:00Z");
    FlinkPipelineOptions flink =
        configure("--runner=FlinkRunner", "--flinkMaster=flink-jobmanager:8081");
    assertEquals(latest.toString(), flink.getSavepointPath());
    assertNull(flink.getFlinkConfDir());
  }

  @Test
  void resumingCanBeTurnedOff() throws IOException {
    completed("job-a/chk-3", "2026-11-30T06:00:00Z");
    FlinkPipelineOptions flink = configure("--runner=FlinkRunner", "--resumeFromCheckpoint=false");
    assertNull(flink.getSavepointPath());
    assertNull(flink.getFlinkConfDir());
  }

  @Test
  void remoteDirectoriesAreNotSearched() {
    assertEquals(
        Optional.empty(), FlinkCheckpoints.localDirectory("hdfs://namenode/flink/checkpoints"));
    assertEquals("s3://bucket/cp", FlinkCheckpoints.storageUri("s3://bucket/cp"));
    assertFalse(FlinkCheckpoints.storageUri("relative/dir").contains("relative/dir/.."));
    assertTrue(FlinkCheckpoints.storageUri("relative/dir").startsWith("file:/"));
  }

  private FlinkPipelineOptions configure(String... args) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(CheckpointOptions.class);
    FlinkCheckpoints.configure(options, checkpoints.toString());
    return options.as(FlinkPipelineOptions.class);
  }

  private Path completed(String checkpoint, String writtenAt) throws IOException {
    Path directory = Files.createDirectories(checkpoints.resolve(checkpoint));
    Path metadata = Files.writeString(directory.resolve(LatestCheckpoint.METADATA), "x");
    Files.setLastModifiedTime(metadata, FileTime.from(Instant.parse(writtenAt)));
    return directory;
  }
}
