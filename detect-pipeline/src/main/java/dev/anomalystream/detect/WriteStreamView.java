package dev.anomalystream.detect;

import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowScore;
import dev.anomalystream.core.stream.WindowSummary;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * The stream view's rows: windows, topic events and window scores, to {@code <table>_windows},
 * {@code <table>_topics} and {@code <table>_window_scores} in BigQuery, or to {@code windows/},
 * {@code topics/} and {@code window-scores/} under the output directory as NDJSON.
 */
public final class WriteStreamView extends PTransform<PCollectionTuple, PCollection<Failure>> {
  private final String table;
  private final String outputDirectory;
  private final Duration flushInterval;

  private WriteStreamView(String table, String outputDirectory, Duration flushInterval) {
    this.table = table;
    this.outputDirectory = outputDirectory;
    this.flushInterval = flushInterval;
  }

  /** Next to the detections table {@code table}. */
  public static WriteStreamView toBigQuery(String table) {
    return new WriteStreamView(table, null, null);
  }

  public static WriteStreamView toFiles(String outputDirectory, Duration flushInterval) {
    return new WriteStreamView(null, outputDirectory, flushInterval);
  }

  @Override
  public PCollection<Failure> expand(PCollectionTuple view) {
    PCollection<Failure> windows =
        view.get(StreamView.WINDOWS)
            .apply(
                "WriteWindows",
                rows(
                    WindowSummary::toRow,
                    "windows",
                    BigQueryTables.WINDOWS_SCHEMA,
                    WindowSummary.WINDOW_END,
                    null,
                    WindowSummary.WINDOW_END,
                    "windows/windows"));
    PCollection<Failure> topics =
        view.get(StreamView.TOPICS)
            .apply(
                "WriteTopics",
                rows(
                    TopicEvent::toRow,
                    "topics",
                    BigQueryTables.TOPICS_SCHEMA,
                    TopicEvent.LAST_WINDOW_END,
                    TopicEvent.TOPIC_ID,
                    TopicEvent.TOPIC_ID,
                    "topics/topics"));
    PCollection<Failure> scores =
        view.get(StreamView.WINDOW_SCORES)
            .apply(
                "WriteWindowScores",
                rows(
                    WindowScore::toRow,
                    "window_scores",
                    BigQueryTables.WINDOW_SCORES_SCHEMA,
                    WindowScore.WINDOW_END,
                    WindowScore.UID,
                    WindowScore.UID,
                    "window-scores/window-scores"));
    return PCollectionList.of(windows)
        .and(topics)
        .and(scores)
        .apply("StreamViewWriteFailures", Flatten.pCollections());
  }

  /**
   * One kind of row: to {@code <table>_<tableSuffix>} (daily partitions on {@code partitionField},
   * clustered by {@code clusteringField} when not null), or to files {@code <outputDirectory>/
   * <filePrefix>-*.json}.
   */
  private <T> WriteRows<T> rows(
      SerializableFunction<T, Map<String, Object>> toRow,
      String tableSuffix,
      String schema,
      String partitionField,
      String clusteringField,
      String keyField,
      String filePrefix) {
    return table != null
        ? WriteRows.toBigQuery(
            toRow,
            new WriteRows.Table(
                table + "_" + tableSuffix,
                schema,
                partitionField,
                clusteringField == null ? List.of() : List.of(clusteringField),
                keyField))
        : WriteRows.toFiles(toRow, outputDirectory + "/" + filePrefix, flushInterval);
  }
}
