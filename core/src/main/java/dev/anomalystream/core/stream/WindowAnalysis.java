package dev.anomalystream.core.stream;

import dev.anomalystream.core.cluster.KMeansCentres;
import dev.anomalystream.core.model.DriftDecision;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.text.TermStatistics;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The analysis of one window, on what {@link WindowContents} kept: k-means over the window (Tribuo)
 * gives each message the window is centred on its distance to its cluster's centre; the drift
 * reference of the model version decides drift; HDBSCAN over the anomalies finds topics. Plain
 * code, so the streaming detector and the batch tool run the same analysis and tests need no
 * runner.
 */
public final class WindowAnalysis {
  /** Most k-means clusters per window. */
  static final int MAX_CLUSTERS = 10;

  /** Points k-means is fitted on; every centred message is then scored against the centres. */
  static final int MAX_KMEANS_POINTS = 2000;

  /**
   * How windows are analysed.
   *
   * @param window the windows' length
   * @param slide how often a window starts
   * @param minTopicSize the fewest anomalies that make a topic
   */
  public record Settings(Duration window, Duration slide, int minTopicSize)
      implements Serializable {
    public Settings {
      if (window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("the window length must be positive, was " + window);
      }
      if (slide.isZero() || slide.isNegative() || slide.compareTo(window) > 0) {
        throw new IllegalArgumentException(
            "the window slide must be positive and at most the window length ("
                + window
                + "), was "
                + slide);
      }
      if (minTopicSize < 2) {
        throw new IllegalArgumentException(
            "the minimum topic size must be at least 2, was " + minTopicSize);
      }
    }
  }

  /**
   * What a window yields.
   *
   * @param summary its row
   * @param scores the window scores of the messages it is centred on
   * @param topics topic candidates among its anomalies
   */
  public record Result(
      WindowSummary summary, List<WindowScore> scores, List<TopicCandidate> topics) {}

  private WindowAnalysis() {}

  /** k for a window of {@code n} messages: about √(n/4), from 1 to {@value #MAX_CLUSTERS}. */
  static int clustersFor(int n) {
    return Math.max(1, Math.min(MAX_CLUSTERS, (int) Math.ceil(Math.sqrt(n / 4.0))));
  }

  /**
   * Analyses one window.
   *
   * @param drift the model version's drift reference, or null when it has none
   * @param terms the model version's term statistics, or null
   * @param paneTiming how the window fired (Beam's pane timing)
   * @param paneIndex 0 for its first firing
   */
  public static Result analyse(
      WindowContents contents,
      DriftReference drift,
      TermStatistics terms,
      Settings settings,
      String paneTiming,
      long paneIndex) {
    List<WindowScore> scores = windowScores(contents);
    DriftDecision decision = null;
    if (drift != null) {
      DriftReference.Counts counts = drift.newCounts();
      for (WindowContents.Sampled message : contents.sample()) {
        counts.add(message.embedding(), message.anomalous());
      }
      decision = drift.decide(counts, settings.slide().toSeconds() / 60.0);
    }
    List<TopicCandidate> topics =
        new TopicFinder(settings.minTopicSize(), terms)
            .find(
                contents.anomalies(),
                contents.sample().stream()
                    .filter(message -> !message.anomalous())
                    .map(WindowContents.Sampled::embedding)
                    .toList());
    WindowSummary summary =
        new WindowSummary(
            contents.start(),
            contents.end(),
            contents.messages(),
            contents.anomalyCount(),
            decision,
            topics.size(),
            contents.modelVersion(),
            paneTiming,
            paneIndex);
    return new Result(summary, scores, topics);
  }

  private static List<WindowScore> windowScores(WindowContents contents) {
    if (contents.centred().isEmpty() || contents.sample().isEmpty()) {
      return List.of();
    }
    List<WindowContents.Sampled> sample = contents.sample();
    int points = Math.min(sample.size(), MAX_KMEANS_POINTS);
    float[][] fitted = new float[points][];
    for (int i = 0; i < points; i++) {
      // a sample beyond MAX_KMEANS_POINTS is already a random one: its first entries will do
      fitted[i] = sample.get(i).embedding();
    }
    int k = clustersFor(contents.sample().size());
    KMeansCentres centres = KMeansCentres.fit(fitted, k, contents.start().toEpochMilli());
    List<WindowScore> scores = new ArrayList<>(contents.centred().size());
    for (WindowContents.Centred message : contents.centred()) {
      scores.add(
          new WindowScore(
              message.uid(),
              contents.start(),
              contents.end(),
              centres.distanceToNearest(message.embedding()),
              centres.size()));
    }
    return scores;
  }
}
