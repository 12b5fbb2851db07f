package dev.anomalystream.core.detection;

import dev.anomalystream.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the detector's local output: the {@code *.json} files of NDJSON rows in its rows directory.
 */
public final class DetectionRowFiles {

  private DetectionRowFiles() {}

  /**
   * Every row of every {@code .json} file directly in {@code directory}, files in name order; none
   * if it is absent.
   */
  public static List<Map<String, Object>> read(Path directory) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return rows;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file :
          files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = Json.MAPPER.readValue(line, Map.class);
            rows.add(row);
          }
        }
      }
    }
    return rows;
  }
}
