package dev.anomalystream.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows NDJSON directories of the detector: its rows directory, or the stream view's {@code
 * windows/} and {@code topics/}. Every {@code *.json} file, those there at start first, then each
 * new one as it appears, in name order, each read once; a directory that does not exist yet is
 * looked for again at every poll. The detector writes a file under a temporary name and renames it
 * when whole ({@code StreamingJsonFiles}), so a {@code .json} file is complete when seen. Polls the
 * directories: WatchService misses renames on some file systems, and a poll every half second is
 * cheap next to the detector's batches.
 */
final class RowDirectoryFollower implements RowSource {
  private static final Logger LOG = LoggerFactory.getLogger(RowDirectoryFollower.class);
  static final long POLL_MILLIS = 500;

  /** One directory followed. */
  record Followed(Path directory, RowKind kind) {}

  private final List<Followed> followed;
  private final Set<Path> read = new HashSet<>();
  private Thread thread;

  /** Follows the detector's rows directory. */
  RowDirectoryFollower(Path directory) {
    this(List.of(new Followed(directory, RowKind.DETECTIONS)));
  }

  RowDirectoryFollower(List<Followed> followed) {
    if (followed.isEmpty()) {
      throw new IllegalArgumentException("nothing to follow");
    }
    this.followed = List.copyOf(followed);
  }

  /**
   * Follows the stream view the detector (or {@code scripts/evaluate-stream}) writes under {@code
   * outputDirectory}: its {@code windows/} and {@code topics/}.
   */
  static RowDirectoryFollower streamView(Path outputDirectory) {
    return new RowDirectoryFollower(
        List.of(
            new Followed(outputDirectory.resolve(RowKind.WINDOWS.label()), RowKind.WINDOWS),
            new Followed(outputDirectory.resolve(RowKind.TOPICS.label()), RowKind.TOPICS)));
  }

  @Override
  public void start(EventHub hub) {
    if (followed.stream().anyMatch(f -> f.kind() != RowKind.DETECTIONS)) {
      hub.streamViewFollowed();
    }
    Path first = followed.get(0).directory();
    thread =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  readNewFiles(hub);
                  Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                  return;
                } catch (UncheckedIOException | IOException e) {
                  LOG.warn("reading {} failed, trying again: {}", this, e.toString());
                }
              }
            },
            "dashboard-rows-" + first.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads the files not read yet, of every directory followed; returns how many. */
  int readNewFiles(EventHub hub) throws IOException {
    int count = 0;
    for (Followed directory : followed) {
      count += readNewFiles(hub, directory.directory(), directory.kind());
    }
    return count;
  }

  private int readNewFiles(EventHub hub, Path directory, RowKind kind) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    List<Path> fresh;
    try (Stream<Path> files = Files.list(directory)) {
      fresh =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .filter(p -> !read.contains(p))
              .sorted()
              .toList();
    }
    for (Path file : fresh) {
      read.add(file);
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        continue; // removed between the listing and now
      } catch (IOException e) {
        // undecodable bytes or an unreadable file: its rows cannot be shown, so it counts as one
        hub.skipMalformed("unreadable rows file " + file + ": " + e);
        continue;
      }
      for (String line : lines) {
        if (!line.isBlank()) {
          kind.publish(hub, line);
        }
      }
    }
    return fresh.size();
  }

  @Override
  public String toString() {
    return followed.stream()
        .map(f -> f.kind().label() + " directory " + f.directory())
        .collect(Collectors.joining(", "));
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
