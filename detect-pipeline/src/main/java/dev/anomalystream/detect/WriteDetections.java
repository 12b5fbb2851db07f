package dev.anomalystream.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TimePartitioning;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.beam.StreamingJsonFiles;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.json.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * One row per detection: to BigQuery (the Storage Write API, {@link BigQueryWriteOptions}; rows
 * BigQuery refuses come back as failures, stage {@value #STAGE}, for the error table), or, with no
 * table, to newline-delimited JSON files that load into the same table as they are.
 */
public final class WriteDetections
    extends PTransform<PCollection<Detection>, PCollection<Failure>> {
  public static final String STAGE = "write";

  private final String table;
  private final String outputDirectory;
  private final Duration flushInterval;

  private WriteDetections(String table, String outputDirectory, Duration flushInterval) {
    this.table = table;
    this.outputDirectory = outputDirectory;
    this.flushInterval = flushInterval;
  }

  public static WriteDetections toBigQuery(String table) {
    return new WriteDetections(table, null, null);
  }

  public static WriteDetections toFiles(String outputDirectory, Duration flushInterval) {
    return new WriteDetections(null, outputDirectory, flushInterval);
  }

  @Override
  public PCollection<Failure> expand(PCollection<Detection> detections) {
    if (table == null) {
      detections
          .apply(
              "RowToJson",
              MapElements.into(TypeDescriptors.strings())
                  .via((Detection d) -> toJson(DetectionRow.toRow(d))))
          .apply(
              "WriteJsonFiles",
              StreamingJsonFiles.to(outputDirectory + "/rows/detections", flushInterval));
      return detections
          .getPipeline()
          .apply("NoInsertFailures", Create.empty(SchemaCoders.of(Failure.class)));
    }
    WriteResult result =
        detections
            .apply(
                "ToTableRow",
                MapElements.into(TypeDescriptor.of(TableRow.class))
                    .via((Detection d) -> BigQueryTables.toTableRow(DetectionRow.toRow(d))))
            .setCoder(TableRowJsonCoder.of())
            .apply(
                "StorageWrite",
                BigQueryTables.storageWrite(table, BigQueryTables.DETECTIONS_SCHEMA, detections)
                    // a table the detector creates gets scripts/create-bigquery-tables' layout:
                    // daily partitions on processed_time, so retraining's lookback reads only its
                    // days, clustered by model version
                    .withTimePartitioning(
                        new TimePartitioning().setType("DAY").setField(DetectionRow.PROCESSED_TIME))
                    .withClustering(
                        new Clustering().setFields(List.of(DetectionRow.MODEL_VERSION))));
    return result
        .getFailedStorageApiInserts()
        .apply(
            "RefusedRowToFailure",
            MapElements.into(TypeDescriptor.of(Failure.class)).via(WriteDetections::toFailure));
  }

  static Failure toFailure(BigQueryStorageApiInsertError error) {
    TableRow row = error.getRow();
    Object uid = row.get(DetectionRow.UID);
    return Failure.builder()
        .setStage(STAGE)
        .setReason(BigQueryTables.refusal(error))
        .setPayload(toJson(row).getBytes(StandardCharsets.UTF_8))
        .setAttributes(uid == null ? Map.of() : Map.of(DetectionRow.UID, uid.toString()))
        .setTime(Instant.now())
        .build();
  }

  static String toJson(Map<String, ?> row) {
    try {
      return Json.MAPPER.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
