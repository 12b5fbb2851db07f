package dev.anomalystream.dashboard;

import com.google.api.services.bigquery.model.TableReference;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowSummary;
import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;

/**
 * One BigQuery table the dashboard polls, and how: the column whose time says which rows are new,
 * the columns that name a row (two rows with the same values are one row read twice), the columns
 * left out of the query (the page never shows them, and an embedding is kilobytes per row), and how
 * far back each poll looks again before the newest time seen (rows committed late).
 */
record PolledTable(
    RowKind kind,
    TableReference table,
    String timeColumn,
    List<String> keyColumns,
    List<String> leftOut,
    Duration overlap) {

  /**
   * How far back the stream view's tables are read at every poll: their rows are few (one per
   * window and per topic update), and a window's late pane or a topic's update can come long after
   * the window ended, so they are read again over the hour the page shows.
   */
  static final Duration STREAM_VIEW_OVERLAP = Duration.ofHours(1);

  /** The detector's {@code --outputTable}: detections, new by {@code processed_time}. */
  static PolledTable detections(TableReference table, Duration overlap) {
    return new PolledTable(
        RowKind.DETECTIONS,
        table,
        DetectionRow.PROCESSED_TIME,
        List.of(DetectionRow.UID, DetectionRow.PROCESSED_TIME),
        List.of(DetectionRow.EMBEDDING),
        overlap);
  }

  /** {@code <table>_windows} beside the detections table (the detector's WriteStreamView). */
  static PolledTable windows(TableReference detections) {
    return new PolledTable(
        RowKind.WINDOWS,
        beside(detections, RowKind.WINDOWS),
        WindowSummary.WINDOW_END,
        List.of(WindowSummary.WINDOW_START, WindowSummary.WINDOW_END, WindowSummary.PANE_INDEX),
        List.of(),
        STREAM_VIEW_OVERLAP);
  }

  /** {@code <table>_topics} beside the detections table; a topic's uids stay in BigQuery. */
  static PolledTable topics(TableReference detections) {
    return new PolledTable(
        RowKind.TOPICS,
        beside(detections, RowKind.TOPICS),
        TopicEvent.LAST_WINDOW_END,
        List.of(TopicEvent.TOPIC_ID, TopicEvent.LAST_WINDOW_END, TopicEvent.SIZE),
        List.of(TopicEvent.UIDS),
        STREAM_VIEW_OVERLAP);
  }

  private static TableReference beside(TableReference detections, RowKind kind) {
    return new TableReference()
        .setProjectId(detections.getProjectId())
        .setDatasetId(detections.getDatasetId())
        .setTableId(detections.getTableId() + "_" + kind.label());
  }

  /** {@code project.dataset.table}, as standard SQL names it (between backticks). */
  String sqlName() {
    return table.getProjectId() + "." + table.getDatasetId() + "." + table.getTableId();
  }

  @Override
  public String toString() {
    return kind.label() + " table " + BigQueryHelpers.toTableSpec(table);
  }
}
