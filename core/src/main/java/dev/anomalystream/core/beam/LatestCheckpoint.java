package dev.anomalystream.core.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the checkpoint a restarted job should resume from. Flink writes each job's checkpoints to
 * {@code <directory>/<job id>/chk-<n>/} and the {@code _metadata} file last, so a directory with it
 * is complete; a killed job leaves its last ones behind, and every launch gets a new job id.
 */
public final class LatestCheckpoint {
  static final String METADATA = "_metadata";

  private LatestCheckpoint() {}

  /** The completed checkpoint written last, over every job under the directory. */
  public static Optional<Path> in(Path directory) {
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(directory)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(LatestCheckpoint::completedCheckpoints)
          .max(Comparator.comparing(LatestCheckpoint::writtenAt))
          .map(Path::getParent);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list checkpoints under " + directory, e);
    }
  }

  private static Stream<Path> completedCheckpoints(Path jobDirectory) {
    try (Stream<Path> children = Files.list(jobDirectory)) {
      return children
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .map(p -> p.resolve(METADATA))
          .filter(Files::isRegularFile)
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list checkpoints under " + jobDirectory, e);
    }
  }

  private static FileTime writtenAt(Path metadata) {
    try {
      return Files.getLastModifiedTime(metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
