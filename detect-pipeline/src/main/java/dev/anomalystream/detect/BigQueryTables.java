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
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.InsertRetryPolicy;

/**
 * The table schemas, read from {@code config/bigquery/*.json} (packaged as resources): one file is
 * used both by this code and by {@code scripts/create-bigquery-tables} ({@code bq mk}).
 */
public final class BigQueryTables {
  public static final String DETECTIONS_SCHEMA = "bigquery/detections_schema.json";
  public static final String ERRORS_SCHEMA = "bigquery/errors_schema.json";

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
   * The detector's way of writing a table: streaming inserts (rows appear within seconds), the
   * table created from its schema file when missing, appended to, transient errors retried and
   * every other refusal handed back with BigQuery's reason. {@code services} are the pipeline's
   * ({@link BigQueryServicesOptions}); {@code withTestServices} is BigQueryIO's only way to take
   * them.
   */
  static BigQueryIO.Write<TableRow> streamingWrite(
      String table, String schemaResource, BigQueryServices services) {
    return BigQueryIO.writeTableRows()
        .to(table)
        .withSchema(schema(schemaResource))
        .withMethod(BigQueryIO.Write.Method.STREAMING_INSERTS)
        .withCreateDisposition(BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED)
        .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_APPEND)
        .withExtendedErrorInfo()
        .withFailedInsertRetryPolicy(InsertRetryPolicy.retryTransientErrors())
        .withTestServices(services);
  }

  public static TableRow toTableRow(Map<String, ?> row) {
    TableRow tableRow = new TableRow();
    tableRow.putAll(row);
    return tableRow;
  }
}
