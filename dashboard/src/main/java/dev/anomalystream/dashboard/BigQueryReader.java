package dev.anomalystream.dashboard;

import com.google.api.services.bigquery.model.TableReference;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What {@link BigQueryFollower} asks of BigQuery: two questions, so the follower's logic (windows,
 * overlap, deduplication, retries) is tested without a network and the queries on their own.
 */
interface BigQueryReader {
  /** Whether the table exists (the stream view's tables exist only when the detector has them). */
  boolean exists(TableReference table) throws IOException, InterruptedException;

  /**
   * The newest rows of {@code table} whose time column is after {@code since}, newest first, at
   * most {@code limit}, each as one JSON object without the columns left out.
   */
  List<String> newestAfter(PolledTable table, Instant since, int limit)
      throws IOException, InterruptedException;
}
