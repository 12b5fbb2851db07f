package dev.anomalystream.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TimePartitioning;
import dev.anomalystream.core.beam.SchemaCoders;
import dev.anomalystream.core.beam.StreamingJsonFiles;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.json.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Rows of one kind (detections, windows, topics, window scores): to a BigQuery table (the Storage
 * Write API, {@link BigQueryWriteOptions}; rows BigQuery refuses come back as failures, stage
 * {@value #STAGE}, for the error table), or, with no table, to newline-delimited JSON files that
 * load into the same table as they are.
 */
public final class WriteRows<T> extends PTransform<PCollection<T>, PCollection<Failure>> {
  public static final String STAGE = "write";

  /**
   * Where a table's rows go in BigQuery.
   *
   * @param table the table
   * @param schemaResource its schema ({@link BigQueryTables})
   * @param partitionField the timestamp column its daily partitions are on
   * @param clusteringFields its clustering columns
   * @param keyField the column a refused row is named by in the error table
   */
  public record Table(
      String table,
      String schemaResource,
      String partitionField,
      List<String> clusteringFields,
      String keyField)
      implements java.io.Serializable {}

  private final SerializableFunction<T, Map<String, Object>> toRow;
  private final Table table;
  private final String filePrefix;
  private final Duration flushInterval;

  private WriteRows(
      SerializableFunction<T, Map<String, Object>> toRow,
      Table table,
      String filePrefix,
      Duration flushInterval) {
    this.toRow = toRow;
    this.table = table;
    this.filePrefix = filePrefix;
    this.flushInterval = flushInterval;
  }

  public static <T> WriteRows<T> toBigQuery(
      SerializableFunction<T, Map<String, Object>> toRow, Table table) {
    return new WriteRows<>(toRow, table, null, null);
  }

  /** To files {@code <filePrefix>-...json} ({@link StreamingJsonFiles}). */
  public static <T> WriteRows<T> toFiles(
      SerializableFunction<T, Map<String, Object>> toRow,
      String filePrefix,
      Duration flushInterval) {
    return new WriteRows<>(toRow, null, filePrefix, flushInterval);
  }

  @Override
  public PCollection<Failure> expand(PCollection<T> rows) {
    SerializableFunction<T, Map<String, Object>> rowOf = toRow;
    if (table == null) {
      rows.apply(
              "RowToJson",
              MapElements.into(TypeDescriptors.strings()).via((T row) -> toJson(rowOf.apply(row))))
          .apply("WriteJsonFiles", StreamingJsonFiles.to(filePrefix, flushInterval));
      return rows.getPipeline()
          .apply("NoInsertFailures", Create.empty(SchemaCoders.of(Failure.class)));
    }
    BigQueryIO.Write<TableRow> write =
        BigQueryTables.storageWrite(table.table(), table.schemaResource(), rows)
            // a table the detector creates gets scripts/create-bigquery-tables' layout: daily
            // partitions (retraining's lookback reads only its days) and clustering
            .withTimePartitioning(
                new TimePartitioning().setType("DAY").setField(table.partitionField()));
    if (!table.clusteringFields().isEmpty()) {
      write = write.withClustering(new Clustering().setFields(table.clusteringFields()));
    }
    WriteResult result =
        rows.apply(
                "ToTableRow",
                MapElements.into(TypeDescriptor.of(TableRow.class))
                    .via((T row) -> BigQueryTables.toTableRow(rowOf.apply(row))))
            .setCoder(TableRowJsonCoder.of())
            .apply("StorageWrite", write);
    String keyField = table.keyField();
    return result
        .getFailedStorageApiInserts()
        .apply(
            "RefusedRowToFailure",
            MapElements.into(TypeDescriptor.of(Failure.class))
                .via((BigQueryStorageApiInsertError error) -> toFailure(error, keyField)));
  }

  static Failure toFailure(BigQueryStorageApiInsertError error, String keyField) {
    TableRow row = error.getRow();
    Object key = row.get(keyField);
    return Failure.builder()
        .setStage(STAGE)
        .setReason(BigQueryTables.refusal(error))
        .setPayload(toJson(row).getBytes(StandardCharsets.UTF_8))
        .setAttributes(key == null ? Map.of() : Map.of(keyField, key.toString()))
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
