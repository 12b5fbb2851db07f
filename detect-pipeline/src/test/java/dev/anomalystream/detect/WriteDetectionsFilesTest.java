package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.testing.SampleDetections;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector's NDJSON rows when it is restarted on the same output directory. */
class WriteDetectionsFilesTest {
  @TempDir Path output;

  private void runWriting(String... uids) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    List<Detection> detections = new ArrayList<>();
    for (String uid : uids) {
      detections.add(SampleDetections.scored(uid, false));
    }
    pipeline
        .apply(Create.of(detections).withCoder(SchemaCoders.of(Detection.class)))
        .apply(WriteDetections.toFiles(output.toString(), Duration.standardSeconds(10)));
    pipeline.run().waitUntilFinish();
  }

  private Map<Path, String> rowFiles() throws IOException {
    Map<Path, String> contents = new TreeMap<>();
    try (Stream<Path> files = Files.list(output.resolve("rows"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        contents.put(file, Files.readString(file));
      }
    }
    return contents;
  }

  @Test
  void aSecondRunWritesBesideTheFirstRunsFilesAndChangesNone() throws IOException {
    runWriting("first-1", "first-2");
    Map<Path, String> afterFirstRun = rowFiles();
    assertFalse(afterFirstRun.isEmpty());

    runWriting("second-1");
    Map<Path, String> afterSecondRun = rowFiles();
    assertTrue(afterSecondRun.size() > afterFirstRun.size(), afterSecondRun.keySet().toString());
    afterFirstRun.forEach(
        (file, content) ->
            assertEquals(content, afterSecondRun.get(file), file + " changed by the restart"));
    String all = String.join("", afterSecondRun.values());
    for (String uid : List.of("first-1", "first-2", "second-1")) {
      assertEquals(true, all.contains("\"uid\":\"" + uid + "\""), uid + " missing: " + all);
    }
  }
}
