package dev.anomalystream.core.beam;

import dev.anomalystream.core.options.CheckpointOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a streaming job on Flink survive a crash: checkpoints every few seconds to a directory that
 * outlives the process, kept when the job is cancelled, and a new launch resumes from the newest
 * one. Sources tie their acknowledgements (Pub/Sub) and offset commits (Kafka) to completed
 * checkpoints, so what the dead process had read but not checkpointed is read again.
 *
 * <p>Beam hands {@code --savepointPath} only to a remote cluster; its embedded cluster ({@code
 * [local]}, {@code [auto]}) restores only what its Flink configuration names, so for those the
 * checkpoint goes in through a generated configuration directory ({@code --flinkConfDir}).
 *
 * <p>The Flink runner is an optional dependency of core: its classes are touched only when the
 * options name the FlinkRunner, so modules and bundles without Flink (Dataflow's) never load them.
 */
public final class FlinkCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkCheckpoints.class);

  /** Between two checkpoints unless {@code --checkpointingInterval} says otherwise. */
  public static final long DEFAULT_INTERVAL_MILLIS = 10_000;

  private FlinkCheckpoints() {}

  /** Does nothing unless the runner is Flink's. */
  public static void configure(PipelineOptions options, String defaultDirectory) {
    if (isFlink(options)) {
      Configurer.configure(options, defaultDirectory);
    }
  }

  public static boolean isFlink(PipelineOptions options) {
    return options.getRunner() != null
        && options.getRunner().getName().startsWith("org.apache.beam.runners.flink.");
  }

  /** The directory as Flink takes it: a URI, local paths made absolute. */
  static String storageUri(String directory) {
    return directory.contains("://")
        ? directory
        : Path.of(directory).toAbsolutePath().normalize().toUri().toString();
  }

  /** A local directory to search for checkpoints, or empty for a remote file system. */
  static Optional<Path> localDirectory(String storageUri) {
    URI uri = URI.create(storageUri);
    return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri)) : Optional.empty();
  }

  /** Flink-typed code apart, so this class loads without the Flink runner on the classpath. */
  private static final class Configurer {
    static void configure(PipelineOptions options, String defaultDirectory) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      CheckpointOptions checkpoints = options.as(CheckpointOptions.class);
      String directory =
          checkpoints.getCheckpointDirectory().isBlank()
              ? defaultDirectory
              : checkpoints.getCheckpointDirectory();
      String storage = storageUri(directory);
      if (flink.getCheckpointingInterval() == null || flink.getCheckpointingInterval() < 0) {
        flink.setCheckpointingInterval(DEFAULT_INTERVAL_MILLIS);
      }
      if (flink.getStateBackend() == null) {
        flink.setStateBackend("filesystem");
      }
      if (flink.getStateBackendStoragePath() == null) {
        flink.setStateBackendStoragePath(storage);
      }
      // kept when the job is cancelled too, so a stop and a start resume like a crash does
      flink.setExternalizedCheckpointsEnabled(true);
      flink.setRetainExternalizedCheckpointsOnCancellation(true);
      LOG.info(
          "Flink checkpoints every {} ms to {}",
          flink.getCheckpointingInterval(),
          flink.getStateBackendStoragePath());
      if (!checkpoints.getResumeFromCheckpoint() || flink.getSavepointPath() != null) {
        return;
      }
      Optional<Path> local = localDirectory(flink.getStateBackendStoragePath());
      if (local.isEmpty()) {
        LOG.warn(
            "checkpoints under {} are not searched (not a local directory): to resume, pass"
                + " --savepointPath=<the chk-N directory to restore>",
            flink.getStateBackendStoragePath());
        return;
      }
      Optional<Path> latest = LatestCheckpoint.in(local.get());
      if (latest.isEmpty()) {
        LOG.info("no completed checkpoint under {}: starting afresh", local.get());
        return;
      }
      LOG.info("resuming from checkpoint {}", latest.get());
      flink.setSavepointPath(latest.get().toString());
      if (FlinkSettings.Reader.isEmbedded(flink)) {
        restoreInEmbeddedCluster(flink, latest.get());
      }
    }

    private static void restoreInEmbeddedCluster(FlinkPipelineOptions flink, Path checkpoint) {
      if (flink.getFlinkConfDir() != null) {
        LOG.warn(
            "--flinkConfDir={} is set: the embedded cluster restores only what it names; add"
                + " 'execution.savepoint.path: {}' there to resume",
            flink.getFlinkConfDir(),
            checkpoint);
        return;
      }
      try {
        Path confDir = Files.createTempDirectory("flink-restore-conf");
        Path conf = confDir.resolve("flink-conf.yaml");
        Files.writeString(
            conf, "execution.savepoint.path: " + checkpoint + "\n", StandardCharsets.UTF_8);
        conf.toFile().deleteOnExit();
        confDir.toFile().deleteOnExit();
        flink.setFlinkConfDir(confDir.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the Flink restore configuration", e);
      }
    }
  }
}
