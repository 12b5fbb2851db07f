package dev.anomalystream.core.beam;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The BigQuery services a pipeline's reads and writes talk to: the real service unless a test sets
 * fakes ({@code options.as(BigQueryServicesOptions.class).setBigQueryServices(...)}), so the
 * transforms have one code path and no test-only parameters. Like {@code GcsOptions}' executor
 * service it is an object, not a flag: {@link JsonIgnore} keeps it off the command line and out of
 * the serialized options, and the transforms capture it when the pipeline is built.
 */
public interface BigQueryServicesOptions extends PipelineOptions {
  @JsonIgnore
  @Default.InstanceFactory(RealBigQueryServices.class)
  BigQueryServices getBigQueryServices();

  void setBigQueryServices(BigQueryServices services);

  /** The services set in {@code options} (the real ones unless a test set fakes). */
  static BigQueryServices bigQueryServices(PipelineOptions options) {
    return options.as(BigQueryServicesOptions.class).getBigQueryServices();
  }

  /** Beam's own implementation, the one BigQueryIO uses when given none. */
  class RealBigQueryServices implements DefaultValueFactory<BigQueryServices> {
    @Override
    public BigQueryServices create(PipelineOptions options) {
      return new BigQueryServicesImpl();
    }
  }
}
