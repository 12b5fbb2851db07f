package dev.anomalystream.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingJsonFilesTest {
  @TempDir Path out;

  @Test
  void eachFlushIntervalOfLinesBecomesOneFinishedFile() throws IOException {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    TestStream<String> lines =
        TestStream.create(StringUtf8Coder.of())
            .addElements("{\"n\":1}", "{\"n\":2}")
            .advanceProcessingTime(Duration.standardSeconds(11))
            .addElements("{\"n\":3}")
            .advanceProcessingTime(Duration.standardSeconds(11))
            .advanceWatermarkToInfinity();
    pipeline
        .apply(lines)
        .apply(
            StreamingJsonFiles.to(
                out.resolve("rows/rows").toString(), Duration.standardSeconds(10)));
    pipeline.run().waitUntilFinish();

    List<Path> files = files();
    assertEquals(2, files.size(), files.toString());
    List<String> all = new ArrayList<>();
    for (Path file : files) {
      assertTrue(
          file.getFileName().toString().matches("rows-\\d{8}T\\d{6}Z-[0-9a-f]{6}-.*\\.json"),
          file.toString());
      all.addAll(Files.readAllLines(file));
    }
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), all.stream().sorted().toList());
  }

  @Test
  void fileNamesSortByWriteTime() {
    assertEquals(
        "20261130T064512.345Z-0a1b2c3d",
        StreamingJsonFiles.fileName(Instant.parse("2026-11-30T06:45:12.345Z"), 0x0a1b2c3d));
  }

  /** Every entry of the directory: finished files only, no temporary one left behind. */
  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(out.resolve("rows"))) {
      List<Path> all = files.sorted().toList();
      all.forEach(f -> assertTrue(f.toString().endsWith(".json"), "left behind: " + f));
      return all;
    }
  }
}
