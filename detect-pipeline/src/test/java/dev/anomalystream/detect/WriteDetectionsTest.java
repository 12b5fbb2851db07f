package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.TableDataInsertAllResponse;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.testing.FakeBigQuery;
import dev.anomalystream.core.testing.SampleDetections;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryInsertError;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rows to the fake BigQuery, and what a row BigQuery refuses becomes. */
@ExtendWith(TestPipelineExtension.class)
class WriteDetectionsTest {

  @Test
  void writesOneRowPerDetection(TestPipeline pipeline) throws Exception {
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", "dataset");
    PCollection<Failure> failures =
        pipeline
            .apply(
                Create.of(
                    SampleDetections.scored("ok-1", false), SampleDetections.scored("ok-2", true)))
            .apply(WriteDetections.toBigQuery("test-project:dataset.detections"));
    PAssert.that(failures).empty();
    pipeline.run().waitUntilFinish();

    List<TableRow> rows = bigQuery.getAllRows("test-project", "dataset", "detections");
    assertEquals(
        List.of("ok-1", "ok-2"), rows.stream().map(r -> (String) r.get("uid")).sorted().toList());
    assertEquals(
        true,
        rows.stream()
            .filter(r -> r.get("uid").equals("ok-2"))
            .findFirst()
            .orElseThrow()
            .get("is_anomaly"));
  }

  @Test
  void aRefusedRowBecomesAFailureWithBigQuerysReasonAndTheRow() {
    TableRow row =
        BigQueryTables.toTableRow(DetectionRow.toRow(SampleDetections.scored("refused", true)));
    TableDataInsertAllResponse.InsertErrors errors =
        new TableDataInsertAllResponse.InsertErrors()
            .setErrors(
                List.of(new ErrorProto().setReason("invalid").setMessage("no such field: colour")));
    Failure failure =
        WriteDetections.toFailure(
            new BigQueryInsertError(
                row,
                errors,
                new TableReference().setProjectId("p").setDatasetId("d").setTableId("t")));

    assertEquals("bigquery", failure.getStage());
    assertTrue(failure.getReason().contains("no such field: colour"), failure.getReason());
    assertEquals("refused", failure.getAttributes().get("uid"));
    assertTrue(failure.payloadAsText().contains("\"uid\":\"refused\""), failure.payloadAsText());
  }
}
