package dev.anomalystream.detect;

import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import dev.anomalystream.core.beam.BigQueryServicesOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The table schemas, read from {@code config/bigquery/*.json} (packaged as resources): one file is
 * used both by this code and by {@code scripts/create-bigquery-tables} ({@code bq mk}).
 */
public final class BigQueryTables {
  public static final String DETECTIONS_SCHEMA = "bigquery/detections_schema.json";
  public static final String ERRORS_SCHEMA = "bigquery/errors_schema.json";
  public static final String WINDOWS_SCHEMA = "bigquery/windows_schema.json";
  public static final String TOPICS_SCHEMA = "bigquery/topics_schema.json";
  public static final String WINDOW_SCORES_SCHEMA = "bigquery/window_scores_schema.json";

  private BigQueryTables() {}

  public static TableSchema schema(String resource) {
    try (InputStream in = BigQueryTables.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + resource + " is not on the classpath");
      }
      String fields = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return BigQueryHelpers.fromJsonString("{\"fields\": " + fields + "}", TableSchema.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + resource, e);
    }
  }

  /** The error table for a detections table: {@code <table>_errors}, unless one is named. */
  public static String errorTableFor(String outputTable, String errorTable) {
    return errorTable == null || errorTable.isBlank() ? outputTable + "_errors" : errorTable;
  }

  /**
   * The detector's way of writing a table: the Storage Write API (method and commit frequency from
   * {@link BigQueryWriteOptions}), the table created from its schema file when missing, appended
   * to; transient errors are retried by BigQueryIO, and a row BigQuery refuses (or that does not
   * fit the schema) comes back in {@code getFailedStorageApiInserts()} with the reason.
   *
   * <p>Exactly-once on an unbounded input needs a triggering frequency (rows become visible at each
   * commit) and a number of streams: auto-sharding lets the runner choose it from the throughput.
   * At-least-once writes to the default stream and takes neither. A bounded input (tests, batch)
   * takes neither either: it commits once at the end. {@code services} are the pipeline's ({@link
   * BigQueryServicesOptions}); {@code withTestServices} is BigQueryIO's only way to take them.
   */
  static BigQueryIO.Write<TableRow> storageWrite(
      String table, String schemaResource, PCollection<?> input) {
    BigQueryWriteOptions options = input.getPipeline().getOptions().as(BigQueryWriteOptions.class);
    BigQueryIO.Write<TableRow> write =
        BigQueryIO.writeTableRows()
            .to(table)
            .withSchema(schema(schemaResource))
            .withMethod(options.getBigQueryWriteMethod().method())
            .withCreateDisposition(BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED)
            .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_APPEND)
            .withTestServices(BigQueryServicesOptions.bigQueryServices(options));
    if (options.getBigQueryWriteMethod() == BigQueryWriteOptions.WriteMethod.STORAGE_WRITE_API
        && input.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      int seconds = options.getBigQueryTriggeringFrequencySeconds();
      if (seconds < 1) {
        throw new IllegalArgumentException(
            "--bigQueryTriggeringFrequencySeconds must be at least 1, not " + seconds);
      }
      write = write.withTriggeringFrequency(Duration.standardSeconds(seconds)).withAutoSharding();
    }
    return write;
  }

  /** Why BigQuery refused a row, for the error table and the logs. */
  static String refusal(BigQueryStorageApiInsertError error) {
    return "BigQuery refused the row: "
        + (error.getErrorMessage() == null ? "no reason given" : error.getErrorMessage());
  }

  public static TableRow toTableRow(Map<String, ?> row) {
    TableRow tableRow = new TableRow();
    tableRow.putAll(row);
    return tableRow;
  }
}
