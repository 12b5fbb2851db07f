package dev.anomalystream.detect;

import dev.anomalystream.core.failure.Failure;
import dev.anomalystream.core.stream.TopicEvent;
import dev.anomalystream.core.stream.WindowScore;
import dev.anomalystream.core.stream.WindowSummary;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
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
                table != null
                    ? WriteRows.toBigQuery(
                        WindowSummary::toRow,
                        new WriteRows.Table(
                            table + "_windows",
                            BigQueryTables.WINDOWS_SCHEMA,
                            WindowSummary.WINDOW_END,
                            List.of(),
                            WindowSummary.WINDOW_END))
                    : WriteRows.toFiles(
                        WindowSummary::toRow, outputDirectory + "/windows/windows", flushInterval));
    PCollection<Failure> topics =
        view.get(StreamView.TOPICS)
            .apply(
                "WriteTopics",
                table != null
                    ? WriteRows.toBigQuery(
                        TopicEvent::toRow,
                        new WriteRows.Table(
                            table + "_topics",
                            BigQueryTables.TOPICS_SCHEMA,
                            TopicEvent.LAST_WINDOW_END,
                            List.of(TopicEvent.TOPIC_ID),
                            TopicEvent.TOPIC_ID))
                    : WriteRows.toFiles(
                        TopicEvent::toRow, outputDirectory + "/topics/topics", flushInterval));
    PCollection<Failure> scores =
        view.get(StreamView.WINDOW_SCORES)
            .apply(
                "WriteWindowScores",
                table != null
                    ? WriteRows.toBigQuery(
                        WindowScore::toRow,
                        new WriteRows.Table(
                            table + "_window_scores",
                            BigQueryTables.WINDOW_SCORES_SCHEMA,
                            WindowScore.WINDOW_END,
                            List.of(WindowScore.UID),
                            WindowScore.UID))
                    : WriteRows.toFiles(
                        WindowScore::toRow,
                        outputDirectory + "/window-scores/window-scores",
                        flushInterval));
    return PCollectionList.of(windows)
        .and(topics)
        .and(scores)
        .apply("StreamViewWriteFailures", Flatten.pCollections());
  }
}
