package dev.anomalystream.detect;

import com.google.api.services.bigquery.model.TableRow;
import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.failure.FailureJson;
import dev.anomalystream.core.failure.WriteFailuresAsJson;
import dev.anomalystream.core.json.Json;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's dead-letter sink (behind its {@link
 * dev.anomalystream.core.failure.FailureHandler}, which counts them per stage): the BigQuery error
 * table, or NDJSON files beside the rows.
 */
public final class WriteFailures extends PTransform<PCollection<Failure>, PDone> {
  private static final Logger LOG = LoggerFactory.getLogger(WriteFailures.class);

  private final String errorTable;
  private final String outputDirectory;
  private final Duration flushInterval;

  private WriteFailures(String errorTable, String outputDirectory, Duration flushInterval) {
    this.errorTable = errorTable;
    this.outputDirectory = outputDirectory;
    this.flushInterval = flushInterval;
  }

  public static WriteFailures toBigQuery(String errorTable) {
    return new WriteFailures(errorTable, null, null);
  }

  public static WriteFailures toFiles(String outputDirectory, Duration flushInterval) {
    return new WriteFailures(null, outputDirectory, flushInterval);
  }

  @Override
  public PDone expand(PCollection<Failure> failures) {
    if (errorTable == null) {
      return failures.apply(
          "WriteJsonFiles",
          WriteFailuresAsJson.to(outputDirectory + "/errors/errors")
              .withFlushInterval(flushInterval));
    }
    failures
        .apply("ToTableRow", ParDo.of(new ToTableRowFn()))
        .setCoder(TableRowJsonCoder.of())
        .apply(
            "StorageWrite",
            BigQueryTables.storageWrite(errorTable, BigQueryTables.ERRORS_SCHEMA, failures))
        .getFailedStorageApiInserts()
        // an error row the error table refuses has no further sink: log it whole and count it
        .apply("LogRefusedErrorRows", ParDo.of(new LogRefusedFn()));
    return PDone.in(failures.getPipeline());
  }

  private static final class LogRefusedFn extends DoFn<BigQueryStorageApiInsertError, Void> {
    private final Counter refused = Metrics.counter(WriteFailures.class, "error_rows_refused");

    @ProcessElement
    public void process(@Element BigQueryStorageApiInsertError error) {
      refused.inc();
      LOG.error("the error table: {}: {}", BigQueryTables.refusal(error), error.getRow());
    }
  }

  private static final class ToTableRowFn extends DoFn<Failure, TableRow> {
    @ProcessElement
    public void process(@Element Failure failure, OutputReceiver<TableRow> out) {
      @SuppressWarnings("unchecked")
      Map<String, Object> row = Json.MAPPER.convertValue(FailureJson.toJson(failure), Map.class);
      out.output(BigQueryTables.toTableRow(row));
    }
  }
}
