package dev.anomalystream.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.testing.FakeBigQuery;
import dev.anomalystream.core.testing.SampleDetections;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows to the fake BigQuery through the Storage Write API (Beam's fake implements its write
 * streams: committed, buffered and pending), and what a row BigQuery refuses becomes.
 */
@ExtendWith(TestPipelineExtension.class)
class WriteDetectionsTest {
  private final String dataset = FakeBigQuery.uniqueDataset("write_detections");
  private final String table = "test-project:" + dataset + ".detections";

  @ParameterizedTest
  @EnumSource(BigQueryWriteOptions.WriteMethod.class)
  void writesOneRowPerDetection(BigQueryWriteOptions.WriteMethod method, TestPipeline pipeline)
      throws Exception {
    pipeline.getOptions().as(BigQueryWriteOptions.class).setBigQueryWriteMethod(method);
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", dataset);
    PCollection<Failure> failures =
        pipeline
            .apply(
                Create.of(
                    SampleDetections.scored("ok-1", false), SampleDetections.scored("ok-2", true)))
            .apply(WriteDetections.toBigQuery(table));
    PAssert.that(failures).empty();
    pipeline.run().waitUntilFinish();

    List<TableRow> rows = bigQuery.getAllRows("test-project", dataset, "detections");
    assertEquals(
        List.of("ok-1", "ok-2"), rows.stream().map(r -> (String) r.get("uid")).sorted().toList());
    TableRow anomaly =
        rows.stream().filter(r -> r.get("uid").equals("ok-2")).findFirst().orElseThrow();
    // read back as BigQuery's JSON API gives them: every scalar a string
    assertEquals("true", anomaly.get("is_anomaly"));
    assertEquals("knn>0.5000", anomaly.get("decision"));
    // created with the layout retraining's lookback prunes on
    Table created =
        bigQuery.getTable(
            new TableReference()
                .setProjectId("test-project")
                .setDatasetId(dataset)
                .setTableId("detections"));
    assertEquals("DAY", created.getTimePartitioning().getType());
    assertEquals("processed_time", created.getTimePartitioning().getField());
    assertEquals(List.of("model_version"), created.getClustering().getFields());
  }

  /**
   * A stream, exactly-once: the write runs with a triggering frequency and auto-sharding, and rows
   * appear once their commit's processing time has passed.
   */
  @Test
  void writesAStreamExactlyOnceAtEachCommit(TestPipeline pipeline) throws Exception {
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", dataset);
    TestStream<Detection> stream =
        TestStream.create(SchemaCoders.of(Detection.class))
            .addElements(SampleDetections.scored("s-1", false))
            .advanceProcessingTime(Duration.standardSeconds(6))
            .addElements(
                SampleDetections.scored("s-2", true), SampleDetections.scored("s-3", false))
            .advanceProcessingTime(Duration.standardSeconds(6))
            .advanceWatermarkToInfinity();
    PCollection<Failure> failures = pipeline.apply(stream).apply(WriteDetections.toBigQuery(table));
    PAssert.that(failures).empty();
    pipeline.run().waitUntilFinish();

    assertEquals(
        List.of("s-1", "s-2", "s-3"),
        bigQuery.getAllRows("test-project", dataset, "detections").stream()
            .map(r -> (String) r.get("uid"))
            .sorted()
            .toList());
  }

  @Test
  void aStreamNeedsACommitEverySecondOrLonger(TestPipeline pipeline) {
    pipeline.enableAbandonedNodeEnforcement(false);
    pipeline.getOptions().as(BigQueryWriteOptions.class).setBigQueryTriggeringFrequencySeconds(0);
    PCollection<Detection> stream =
        pipeline.apply(
            TestStream.create(SchemaCoders.of(Detection.class))
                .addElements(SampleDetections.scored("s-1", false))
                .advanceWatermarkToInfinity());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> stream.apply(WriteDetections.toBigQuery(table)));
    assertTrue(e.getMessage().contains("--bigQueryTriggeringFrequencySeconds"), e.getMessage());
  }

  /** The fake refuses one row at append time, as BigQuery refuses a row it finds invalid. */
  @ParameterizedTest
  @EnumSource(BigQueryWriteOptions.WriteMethod.class)
  void aRowBigQueryRefusesBecomesAFailureAndTheOthersAreWritten(
      BigQueryWriteOptions.WriteMethod method, TestPipeline pipeline) throws Exception {
    pipeline.getOptions().as(BigQueryWriteOptions.class).setBigQueryWriteMethod(method);
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", dataset);
    bigQuery.setShouldFailRow(
        (Function<TableRow, Boolean> & Serializable) row -> "refused".equals(row.get("uid")));
    PCollection<Failure> failures =
        pipeline
            .apply(
                Create.of(
                    SampleDetections.scored("ok", false), SampleDetections.scored("refused", true)))
            .apply(WriteDetections.toBigQuery(table));
    PAssert.that(failures)
        .satisfies(
            all -> {
              List<Failure> list = new ArrayList<>();
              all.forEach(list::add);
              assertEquals(1, list.size(), list.toString());
              Failure failure = list.get(0);
              assertEquals("write", failure.getStage());
              assertTrue(
                  failure.getReason().startsWith("BigQuery refused the row: Failing row"),
                  failure.getReason());
              assertEquals("refused", failure.getAttributes().get("uid"));
              assertTrue(
                  failure.payloadAsText().contains("\"uid\":\"refused\""), failure.payloadAsText());
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertEquals(
        List.of("ok"),
        bigQuery.getAllRows("test-project", dataset, "detections").stream()
            .map(r -> (String) r.get("uid"))
            .toList());
  }

  /**
   * A value of the wrong type for its column never reaches BigQuery: converting the row to the
   * table's protocol buffer fails, and the row comes back with the reason naming the column.
   */
  @Test
  void aValueOfTheWrongTypeBecomesAFailureNamingTheColumn(TestPipeline pipeline) throws Exception {
    FakeDatasetService bigQuery =
        FakeBigQuery.installIn(pipeline.getOptions(), "test-project", dataset);
    TableRow good =
        BigQueryTables.toTableRow(DetectionRow.toRow(SampleDetections.scored("good", false)));
    TableRow badCluster =
        BigQueryTables.toTableRow(DetectionRow.toRow(SampleDetections.scored("bad", false)))
            .set(DetectionRow.CLUSTER, "not a number");
    PCollection<TableRow> rows = pipeline.apply(Create.of(good, badCluster));
    PCollection<Failure> failures =
        rows.apply(BigQueryTables.storageWrite(table, BigQueryTables.DETECTIONS_SCHEMA, rows))
            .getFailedStorageApiInserts()
            .apply(
                MapElements.into(TypeDescriptor.of(Failure.class))
                    .via(
                        (SerializableFunction<BigQueryStorageApiInsertError, Failure>)
                            error -> WriteRows.toFailure(error, DetectionRow.UID)));
    PAssert.that(failures)
        .satisfies(
            all -> {
              Failure failure = all.iterator().next();
              assertEquals("bad", failure.getAttributes().get("uid"));
              assertTrue(failure.getReason().contains("cluster"), failure.getReason());
              assertTrue(
                  failure.payloadAsText().contains("\"cluster\":\"not a number\""),
                  failure.payloadAsText());
              return null;
            });
    pipeline.run().waitUntilFinish();

    assertEquals(
        List.of("good"),
        bigQuery.getAllRows("test-project", dataset, "detections").stream()
            .map(r -> (String) r.get("uid"))
            .toList());
  }
}
