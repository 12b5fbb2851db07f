package dev.anomalystream.train;

import com.google.api.client.http.AbstractInputStreamContent;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfigurationExtract;
import com.google.api.services.bigquery.model.JobConfigurationLoad;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobConfigurationTableCopy;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.JobStatistics;
import com.google.api.services.bigquery.model.JobStatistics2;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;

/**
 * A fake BigQuery job service that answers one SQL query. Beam's {@link FakeJobService} runs no
 * SQL: it takes a query's text to be an encoded result ({@link
 * FakeBigQueryServices#encodeQueryResult}). This one swaps the expected query for its result, so
 * the code under test sends its real SQL, and any other query fails the job.
 */
final class AnsweringJobService implements BigQueryServices.JobService, Serializable {
  private static final long serialVersionUID = 1L;

  private final FakeJobService fake = new FakeJobService();
  private final String query;
  private final String encodedResult;

  private AnsweringJobService(String query, String encodedResult) {
    this.query = query;
    this.encodedResult = encodedResult;
  }

  /** Answers {@code query}, run in {@code project} over {@code source}, with {@code rows}. */
  static AnsweringJobService answering(
      String project, String query, TableReference source, Table result, List<TableRow> rows)
      throws IOException {
    AnsweringJobService service =
        new AnsweringJobService(query, FakeBigQueryServices.encodeQueryResult(result, rows));
    service.fake.expectDryRunQuery(
        project,
        service.encodedResult,
        new JobStatistics()
            .setQuery(
                new JobStatistics2()
                    .setTotalBytesProcessed(0L)
                    .setReferencedTables(List.of(source))));
    return service;
  }

  private JobConfigurationQuery answered(JobConfigurationQuery config) {
    if (!query.equals(config.getQuery())) {
      throw new IllegalArgumentException(
          "unexpected query: " + config.getQuery() + "\nexpected: " + query);
    }
    return config.clone().setQuery(encodedResult);
  }

  @Override
  public void startQueryJob(JobReference jobRef, JobConfigurationQuery config)
      throws IOException, InterruptedException {
    fake.startQueryJob(jobRef, answered(config));
  }

  @Override
  public JobStatistics dryRunQuery(String projectId, JobConfigurationQuery config, String location)
      throws InterruptedException, IOException {
    return fake.dryRunQuery(projectId, answered(config), location);
  }

  @Override
  public void startLoadJob(JobReference jobRef, JobConfigurationLoad config)
      throws InterruptedException, IOException {
    fake.startLoadJob(jobRef, config);
  }

  @Override
  public void startLoadJob(
      JobReference jobRef, JobConfigurationLoad config, AbstractInputStreamContent content)
      throws InterruptedException, IOException {
    fake.startLoadJob(jobRef, config, content);
  }

  @Override
  public void startExtractJob(JobReference jobRef, JobConfigurationExtract config)
      throws InterruptedException, IOException {
    fake.startExtractJob(jobRef, config);
  }

  @Override
  public void startCopyJob(JobReference jobRef, JobConfigurationTableCopy config)
      throws IOException, InterruptedException {
    fake.startCopyJob(jobRef, config);
  }

  @Override
  public Job pollJob(JobReference jobRef, int maxAttempts) throws InterruptedException {
    return fake.pollJob(jobRef, maxAttempts);
  }

  @Override
  public Job getJob(JobReference jobRef) throws IOException, InterruptedException {
    return fake.getJob(jobRef);
  }

  @Override
  public void close() throws Exception {
    fake.close();
  }
}
