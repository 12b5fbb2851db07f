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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the detector's NDJSON rows directory: every {@code *.json} file, those there at start
 * first, then each new one as it appears, in name order, each read once. The detector writes a file
 * under a temporary name and renames it when whole ({@code StreamingJsonFiles}), so a {@code .json}
 * file is complete when seen. Polls the directory: WatchService misses renames on some file
 * systems, and a poll every half second is cheap next to the detector's batches.
 */
final class RowDirectoryFollower implements RowSource {
  private static final Logger LOG = LoggerFactory.getLogger(RowDirectoryFollower.class);
  static final long POLL_MILLIS = 500;

  private final Path directory;
  private final Set<String> read = new HashSet<>();
  private Thread thread;

  RowDirectoryFollower(Path directory) {
    this.directory = directory;
  }

  @Override
  public void start(EventHub hub) {
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
                  LOG.warn("reading {} failed, trying again: {}", directory, e.toString());
                }
              }
            },
            "dashboard-rows-" + directory.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads the files not read yet; returns how many. */
  int readNewFiles(EventHub hub) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    List<Path> fresh;
    try (Stream<Path> files = Files.list(directory)) {
      fresh =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .filter(p -> !read.contains(p.getFileName().toString()))
              .sorted()
              .toList();
    }
    for (Path file : fresh) {
      read.add(file.getFileName().toString());
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
          hub.publishLine(line);
        }
      }
    }
    return fresh.size();
  }

  @Override
  public String toString() {
    return "rows directory " + directory;
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
