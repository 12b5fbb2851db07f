package dev.anomalystream.detect;

import dev.anomalystream.core.stream.WindowAnalysis;
import java.time.Duration;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The stream view's windows, shared by the streaming detector and scripts/evaluate-stream. */
public interface StreamViewOptions extends PipelineOptions {
  @Description(
      "Length of the sliding event-time windows the stream view (window score, drift, topics)"
          + " looks at, in minutes; 0 turns the stream view off")
  @Default.Integer(10)
  int getWindowMinutes();

  void setWindowMinutes(int value);

  @Description("How often a window starts, in minutes (at most --windowMinutes)")
  @Default.Integer(1)
  int getWindowSlideMinutes();

  void setWindowSlideMinutes(int value);

  @Description(
      "How late (in event time, behind the watermark) a message may arrive and still update its"
          + " windows, in minutes; later ones are counted (Beam's droppedDueToLateness), and a"
          + " message whose event_time is further than this before its publish time is a dead"
          + " letter of stage 'window'")
  @Default.Integer(5)
  int getAllowedLatenessMinutes();

  void setAllowedLatenessMinutes(int value);

  @Description(
      "Fewest anomalies of one window that make an emerging topic (HDBSCAN's min_cluster_size"
          + " over the window's anomalies)")
  @Default.Integer(5)
  int getMinTopicSize();

  void setMinTopicSize(int value);

  /** Whether the stream view runs: {@code --windowMinutes} is positive. */
  static boolean enabled(StreamViewOptions options) {
    return options.getWindowMinutes() > 0;
  }

  /** The analysis settings, checked (slide within the window, sizes positive). */
  static WindowAnalysis.Settings settings(StreamViewOptions options) {
    if (options.getAllowedLatenessMinutes() < 0) {
      throw new IllegalArgumentException(
          "--allowedLatenessMinutes must not be negative, was "
              + options.getAllowedLatenessMinutes());
    }
    return new WindowAnalysis.Settings(
        Duration.ofMinutes(options.getWindowMinutes()),
        Duration.ofMinutes(options.getWindowSlideMinutes()),
        options.getMinTopicSize());
  }
}
