package dev.anomalystream.core.testing;

import dev.anomalystream.core.beam.BigQueryServicesOptions;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Beam's in-memory BigQuery (no emulator exists), set in a pipeline's options the way the stages
 * look their services up ({@link BigQueryServicesOptions}).
 */
public final class FakeBigQuery {
  private static final AtomicInteger DATASETS = new AtomicInteger();

  private FakeBigQuery() {}

  /**
   * A dataset name no other test in this JVM uses. BigQueryIO's Storage Write API path remembers,
   * per JVM, which tables it has created (a static set in {@code CreateTableHelpers}) and never
   * creates them again, while each {@link #installIn} starts an empty fake: a table written by two
   * tests would be missing in the second. A dataset per test avoids it.
   */
  public static String uniqueDataset(String base) {
    return base + "_" + DATASETS.incrementAndGet();
  }

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
