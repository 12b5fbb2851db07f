package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.TableDataInsertAllResponse;
import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionCoder;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.failure.Failure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rows to the fake BigQuery; a row BigQuery refuses comes back as a failure with the reason. */
@ExtendWith(TestPipelineExtension.class)
class WriteDetectionsTest {
  private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");

  private static Detection detection(String uid, boolean anomaly) {
    return new Detection(new InboundMessage(uid, "text of " + uid, null, T, T), anomaly ? -1 : 0, 0.5,
        0.2, 0.3, anomaly, "knn>0.5000", 0.5, "v1", "m", T, null);
  }

  @Test
  void writesRowsAndTurnsRefusedInsertsIntoFailures(TestPipeline pipeline) throws Exception {
    FakeDatasetService bigQuery = new FakeDatasetService();
    FakeDatasetService.setUp();
    bigQuery.createDataset("p", "d", "", "", null);
    Detection refused = detection("refused", true);
    TableRow refusedRow = BigQueryTables.toTableRow(DetectionRow.toRow(refused));
    bigQuery.failOnInsert(Map.of(refusedRow, List.of(new TableDataInsertAllResponse.InsertErrors()
        .setErrors(List.of(new ErrorProto().setReason("invalid").setMessage("no such field"))))));

    PCollection<Failure> failures = pipeline
        .apply(Create.of(detection("ok-1", false), detection("ok-2", true), refused).withCoder(DetectionCoder.of()))
        .apply(WriteDetections.toBigQuery("p:d.detections",
            new FakeBigQueryServices().withDatasetService(bigQuery).withJobService(new FakeJobService())));
    PAssert.thatSingleton(failures).satisfies(f -> {
      assertEquals("bigquery", f.stage());
      assertTrue(f.reason().contains("no such field"), f.reason());
      assertEquals("refused", f.attributes().get("uid"));
      assertTrue(f.payloadAsText().contains("\"uid\":\"refused\""), f.payloadAsText());
      return null;
    });
    pipeline.run().waitUntilFinish();

    List<TableRow> rows = bigQuery.getAllRows("p", "d", "detections");
    assertEquals(List.of("ok-1", "ok-2"), rows.stream().map(r -> (String) r.get("uid")).sorted().toList());
  }
}
