package dev.anomalystream.detect;

import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How the detector writes its BigQuery tables (rows and errors): through the Storage Write API,
 * exactly-once by default. Streaming inserts ({@code tabledata.insertAll}) are Google's legacy path
 * and are not offered.
 */
public interface BigQueryWriteOptions extends PipelineOptions {
  /** The two Storage Write API methods of {@link BigQueryIO.Write.Method}. */
  enum WriteMethod {
    /**
     * Exactly-once: rows go to application-created streams with offsets, flushed every triggering
     * frequency, so a retried bundle never writes a row twice. The default, matching a Dataflow
     * streaming job's exactly-once mode.
     */
    STORAGE_WRITE_API(BigQueryIO.Write.Method.STORAGE_WRITE_API),
    /**
     * At-least-once: the table's default stream, no shuffle before the write, lower latency and
     * cost; a retry may write a row twice (readers deduplicate on uid). For jobs run in Dataflow's
     * at-least-once streaming mode, where exactly-once writes would buy nothing.
     */
    STORAGE_API_AT_LEAST_ONCE(BigQueryIO.Write.Method.STORAGE_API_AT_LEAST_ONCE);

    private final BigQueryIO.Write.Method method;

    WriteMethod(BigQueryIO.Write.Method method) {
      this.method = method;
    }

    public BigQueryIO.Write.Method method() {
      return method;
    }
  }

  @Description(
      "BigQuery write method: STORAGE_WRITE_API (exactly-once, the default) or"
          + " STORAGE_API_AT_LEAST_ONCE (cheaper, duplicates possible; for jobs in at-least-once"
          + " streaming mode)")
  @Default.Enum("STORAGE_WRITE_API")
  WriteMethod getBigQueryWriteMethod();

  void setBigQueryWriteMethod(WriteMethod value);

  @Description(
      "Seconds between commits of exactly-once BigQuery writes: the most a row waits before it"
          + " can be queried (ignored by STORAGE_API_AT_LEAST_ONCE)")
  @Default.Integer(5)
  int getBigQueryTriggeringFrequencySeconds();

  void setBigQueryTriggeringFrequencySeconds(int value);
}
