package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.beam.MetricCounts;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.failure.FailureHandler;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.FakeBigQuery;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * WriteFailures behind the pipeline's FailureHandler, on an unbounded stream: every dead letter
 * reaches the error sink (NDJSON files flushed per processing-time pane, or the BigQuery error
 * table) and is counted per stage.
 */
@ExtendWith(TestPipelineExtension.class)
class WriteFailuresTest {
  private static final Duration FLUSH = Duration.standardSeconds(10);
  private static final java.time.Instant FAILED_AT =
      java.time.Instant.parse("2026-11-23T09:00:00Z");

  @TempDir Path output;
  private final String dataset = FakeBigQuery.uniqueDataset("write_failures");

  /** A dead letter as a stage emits it. */
  private static Failure failure(String stage, String reason, String payload) {
    return Failure.builder()
        .setStage(stage)
        .setReason(reason)
        .setPayload(payload.getBytes(StandardCharsets.UTF_8))
        .setAttributes(Map.of("uid", payload))
        .setTime(FAILED_AT)
        .build();
  }

  /** What {@link #twoPanes()} holds, as "stage|reason|payload", sorted. */
  private static final List<String> TWO_PANES_WRITTEN =
      List.of(
          "decode|empty payload|d-2",
          "decode|empty text|d-1",
          "score|no usable model: version v9|s-1");

  /** Two panes of processing time: two decode failures, then a score failure. */
  private static TestStream<Failure> twoPanes() {
    return TestStream.create(SchemaCoders.of(Failure.class))
        .addElements(
            failure("decode", "empty text", "d-1"), failure("decode", "empty payload", "d-2"))
        .advanceProcessingTime(FLUSH.plus(Duration.standardSeconds(1)))
        .addElements(failure("score", "no usable model: version v9", "s-1"))
        .advanceProcessingTime(FLUSH.plus(Duration.standardSeconds(1)))
        .advanceWatermarkToInfinity();
  }

  @Test
  void writesEveryPaneAsJsonFilesAndCountsPerStage(TestPipeline pipeline) throws IOException {
    try (FailureHandler failures =
        FailureHandler.writingTo(
            "WriteFailures", WriteFailures.toFiles(output.toString(), FLUSH))) {
      failures.addErrorCollection(pipeline.apply(twoPanes()));
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<Path> files;
    try (Stream<Path> listed = Files.list(output.resolve("errors"))) {
      files = listed.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 2, "a file per batch at least, and two batches: " + files);
    List<String> written = new ArrayList<>();
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        JsonNode row = Json.MAPPER.readTree(line);
        written.add(
            row.get("stage").asText()
                + "|"
                + row.get("reason").asText()
                + "|"
                + row.get("payload").asText());
      }
    }
    assertEquals(TWO_PANES_WRITTEN, written.stream().sorted().toList());
    assertEquals(3, MetricCounts.attempted(result, FailureHandler.class, "dead_letters"));
    assertEquals(2, MetricCounts.attempted(result, FailureHandler.class, "dead_letters_decode"));
    assertEquals(1, MetricCounts.attempted(result, FailureHandler.class, "dead_letters_score"));
  }

  @Test
  void streamsEveryFailureIntoTheErrorTableAndCountsPerStage(TestPipeline pipeline)
      throws Exception {
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", dataset);
    try (FailureHandler failures =
        FailureHandler.writingTo(
            "WriteFailures",
            WriteFailures.toBigQuery("test-project:" + dataset + ".detections_errors"))) {
      failures.addErrorCollection(pipeline.apply(twoPanes()));
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<TableRow> rows = bigQuery.getAllRows("test-project", dataset, "detections_errors");
    assertEquals(
        TWO_PANES_WRITTEN,
        rows.stream()
            .map(r -> r.get("stage") + "|" + r.get("reason") + "|" + r.get("payload"))
            .sorted()
            .toList());
    assertEquals(2, MetricCounts.attempted(result, FailureHandler.class, "dead_letters_decode"));
    assertEquals(1, MetricCounts.attempted(result, FailureHandler.class, "dead_letters_score"));
    assertEquals(0, MetricCounts.attempted(result, WriteFailures.class, "error_rows_refused"));
  }

  @Test
  void anErrorRowTheErrorTableRefusesIsCountedAndTheOthersAreWritten(TestPipeline pipeline)
      throws Exception {
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", dataset);
    bigQuery.setShouldFailRow(
        (Function<TableRow, Boolean> & Serializable) row -> "score".equals(row.get("stage")));
    try (FailureHandler failures =
        FailureHandler.writingTo(
            "WriteFailures",
            WriteFailures.toBigQuery("test-project:" + dataset + ".detections_errors"))) {
      failures.addErrorCollection(pipeline.apply(twoPanes()));
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(
        List.of("d-1", "d-2"),
        bigQuery.getAllRows("test-project", dataset, "detections_errors").stream()
            .map(r -> (String) r.get("payload"))
            .sorted()
            .toList());
    assertEquals(1, MetricCounts.attempted(result, WriteFailures.class, "error_rows_refused"));
  }
}
