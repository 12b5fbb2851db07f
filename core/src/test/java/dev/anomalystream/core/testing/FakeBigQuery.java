package dev.anomalystream.core.testing;

import dev.anomalystream.core.beam.BigQueryServicesOptions;
import java.io.IOException;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Beam's in-memory BigQuery (no emulator exists), set in a pipeline's options the way the stages
 * look their services up ({@link BigQueryServicesOptions}).
 */
public final class FakeBigQuery {
  private FakeBigQuery() {}

  /**
   * Creates the empty dataset {@code project:dataset} in a fresh fake and points {@code options} at
   * it; its job service runs no queries.
   *
   * @return the fake, to read the written rows back with {@code getAllRows}
   */
  public static FakeDatasetService installIn(
      PipelineOptions options, String project, String dataset)
      throws IOException, InterruptedException {
    FakeDatasetService bigQuery = new FakeDatasetService();
    FakeDatasetService.setUp();
    bigQuery.createDataset(project, dataset, "", "", null);
    options
        .as(BigQueryServicesOptions.class)
        .setBigQueryServices(
            new FakeBigQueryServices()
                .withDatasetService(bigQuery)
                .withJobService(new FakeJobService()));
    return bigQuery;
  }
}
