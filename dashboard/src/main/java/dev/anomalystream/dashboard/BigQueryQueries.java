package dev.anomalystream.dashboard;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.QueryResponse;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auth.Credentials;
import com.google.auth.http.HttpCredentialsAdapter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.extensions.gcp.util.Transport;

/**
 * {@link BigQueryReader} over BigQuery's REST API ({@code jobs.query}, then {@code
 * jobs.getQueryResults} while the query runs or has more pages), through the Google API client
 * Beam's BigQuery IO is built on. Each poll is one standard-SQL query with the time bound as a
 * named {@code TIMESTAMP} parameter ({@code @since}); BigQuery's {@code TO_JSON_STRING} turns each
 * row into the same JSON object the detector's NDJSON files hold (timestamps as ISO 8601 with
 * {@code Z}), so one parser serves every source.
 */
final class BigQueryQueries implements BigQueryReader {
  /** The query parameter of the time bound. */
  static final String SINCE = "since";

  /** How long one call waits for the query before it asks again. */
  private static final Duration CALL_WAIT = Duration.ofSeconds(10);

  /** A poll that has not finished by then is abandoned (and the follower tries again later). */
  private static final Duration QUERY_DEADLINE = Duration.ofMinutes(2);

  // the format Google's Java client gives TIMESTAMP parameter values
  private static final DateTimeFormatter PARAMETER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private final Bigquery bigquery;
  private final String jobProject;

  /**
   * @param jobProject the project the query jobs run (and are billed) in
   */
  BigQueryQueries(Bigquery bigquery, String jobProject) {
    this.bigquery = bigquery;
    this.jobProject = jobProject;
  }

  /**
   * A client of BigQuery at {@code rootUrl} (null: Google's) with {@code credentials} (null: none,
   * for a local stand-in).
   */
  static BigQueryQueries connect(String rootUrl, Credentials credentials, String jobProject) {
    HttpRequestInitializer authorise =
        credentials == null ? null : new HttpCredentialsAdapter(credentials);
    Bigquery.Builder builder =
        new Bigquery.Builder(Transport.getTransport(), Transport.getJsonFactory(), authorise)
            .setApplicationName("anomaly-stream-dashboard");
    if (rootUrl != null) {
      builder.setRootUrl(rootUrl.endsWith("/") ? rootUrl : rootUrl + "/");
    }
    return new BigQueryQueries(builder.build(), jobProject);
  }

  @Override
  public boolean exists(TableReference table) throws IOException {
    try {
      bigquery
          .tables()
          .get(table.getProjectId(), table.getDatasetId(), table.getTableId())
          .setFields("id")
          .execute();
      return true;
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public List<String> newestAfter(PolledTable table, Instant since, int limit)
      throws IOException, InterruptedException {
    QueryResponse first = bigquery.jobs().query(jobProject, request(table, since, limit)).execute();
    List<String> rows = new ArrayList<>();
    boolean complete = Boolean.TRUE.equals(first.getJobComplete());
    if (complete) {
      addRows(first.getRows(), rows);
    }
    String pageToken = complete ? first.getPageToken() : null;
    long deadline = System.nanoTime() + QUERY_DEADLINE.toNanos();
    while (!complete || pageToken != null) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the query on " + table + " did not finish in " + QUERY_DEADLINE);
      }
      GetQueryResultsResponse page =
          bigquery
              .jobs()
              .getQueryResults(jobProject, first.getJobReference().getJobId())
              .setLocation(first.getJobReference().getLocation())
              .setTimeoutMs(CALL_WAIT.toMillis())
              .setPageToken(pageToken)
              .execute();
      if (!Boolean.TRUE.equals(page.getJobComplete())) {
        continue;
      }
      complete = true;
      addRows(page.getRows(), rows);
      pageToken = page.getPageToken();
    }
    return rows;
  }

  private static void addRows(List<TableRow> page, List<String> rows) {
    if (page == null) {
      return;
    }
    for (TableRow row : page) {
      List<TableCell> cells = row.getF();
      Object value = cells == null || cells.isEmpty() ? null : cells.get(0).getV();
      // a NULL cell comes back as a placeholder object, not as text: the follower counts it
      rows.add(value instanceof String text ? text : String.valueOf(value));
    }
  }

  /** The request of one poll: standard SQL, the time bound a named TIMESTAMP parameter. */
  static QueryRequest request(PolledTable table, Instant since, int limit) {
    return new QueryRequest()
        .setQuery(sql(table, limit))
        .setUseLegacySql(false)
        .setParameterMode("NAMED")
        .setQueryParameters(
            List.of(
                new QueryParameter()
                    .setName(SINCE)
                    .setParameterType(new QueryParameterType().setType("TIMESTAMP"))
                    .setParameterValue(
                        new QueryParameterValue().setValue(PARAMETER_TIME.format(since)))))
        .setTimeoutMs(CALL_WAIT.toMillis());
  }

  /**
   * The newest rows after {@code @since}, each as one JSON string. The filter on the time column
   * also prunes the detections table's daily partitions (it is partitioned on {@code
   * processed_time}), so a poll reads today's rows, not the table.
   */
  static String sql(PolledTable table, int limit) {
    String source =
        table.leftOut().isEmpty()
            ? "`" + table.sqlName() + "`"
            : "(SELECT * EXCEPT ("
                + String.join(", ", table.leftOut())
                + ") FROM `"
                + table.sqlName()
                + "`)";
    return "SELECT TO_JSON_STRING(t) AS row_json FROM "
        + source
        + " AS t WHERE t."
        + table.timeColumn()
        + " > @"
        + SINCE
        + " ORDER BY t."
        + table.timeColumn()
        + " DESC LIMIT "
        + limit;
  }
}
