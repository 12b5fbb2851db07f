package dev.anomalystream.detect;

import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;

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

  public static TableRow toTableRow(Map<String, ?> row) {
    TableRow tableRow = new TableRow();
    tableRow.putAll(row);
    return tableRow;
  }
}
