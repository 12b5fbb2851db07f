package dev.anomalystream.bench;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import dev.anomalystream.core.model.DriftReference;
import dev.anomalystream.core.stream.WindowAnalysis;
import dev.anomalystream.core.stream.WindowContents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What one window of the stream view costs ({@link WindowContents} pass and {@link WindowAnalysis}:
 * k-means window scores, the drift test, topics) as a window grows: the stream view analyses every
 * window once per slide on one key, so this bounds the traffic a detector's stream view keeps up
 * with. Synthetic 384-d embeddings around topics, 1 % flagged.
 *
 * <p>Usage: {@code WindowAnalysisBenchmark [--sizes=100,1000,6000,24000] [--repeats=3]}. Last line:
 * one JSON object, milliseconds per window by size.
 */
public final class WindowAnalysisBenchmark {
  private static final int DIMENSION = 384;
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Duration SLIDE = Duration.ofMinutes(1);
  private static final Instant START = Instant.parse("2026-11-30T00:00:00Z");

  private WindowAnalysisBenchmark() {}

  /** The options of {@code scripts/bench-window}. */
  public interface WindowAnalysisBenchmarkOptions extends PipelineOptions {
    @Description("Messages per window, comma-separated")
    @Default.String("100,1000,6000,24000")
    String getSizes();

    void setSizes(String value);

    @Description("Timed analyses per size (after one warm-up)")
    @Default.Integer(3)
    int getRepeats();

    void setRepeats(int value);
  }

  public static void main(String[] args) {
    PipelineOptionsFactory.register(WindowAnalysisBenchmarkOptions.class);
    WindowAnalysisBenchmarkOptions options =
        PipelineOptionsFactory.fromArgs(args).as(WindowAnalysisBenchmarkOptions.class);
    int[] sizes =
        Arrays.stream(options.getSizes().split(",")).mapToInt(Integer::parseInt).toArray();
    int largest = Arrays.stream(sizes).max().orElse(0);
    Random random = new Random(42);
    float[][] normal = SyntheticEmbeddings.generate(6000 + largest, DIMENSION, 20, 0.05, 0.0, 42);
    boolean[] flagged = new boolean[2000];
    for (int i = 0; i < flagged.length; i++) {
      flagged[i] = random.nextDouble() < 0.01;
    }
    DriftReference reference =
        DriftReference.fit(
            Arrays.copyOfRange(normal, 0, 4000),
            Arrays.copyOfRange(normal, 4000, 6000),
            flagged,
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE,
            42);
    WindowAnalysis.Settings settings = new WindowAnalysis.Settings(WINDOW, SLIDE, 5);
    System.out.printf(
        Locale.ROOT,
        "window analysis: %d-d embeddings, 1 %% flagged, %d cores%n",
        DIMENSION,
        Runtime.getRuntime().availableProcessors());
    StringBuilder json = new StringBuilder("{");
    for (int size : sizes) {
      List<Detection> window = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        Instant time = START.plusMillis(i * WINDOW.toMillis() / size);
        window.add(detection("m-" + i, time, random.nextDouble() < 0.01, normal[6000 + i]));
      }
      analyse(window, reference, settings); // warm-up
      long start = System.nanoTime();
      int topics = 0;
      for (int r = 0; r < options.getRepeats(); r++) {
        topics += analyse(window, reference, settings);
      }
      double millis = (System.nanoTime() - start) / 1e6 / options.getRepeats();
      System.out.printf(
          Locale.ROOT, "%7d messages: %9.1f ms per window (%d topics)%n", size, millis, topics);
      json.append(json.length() > 1 ? ", " : "")
          .append(String.format(Locale.ROOT, "\"ms_per_window_%d\": %.1f", size, millis));
    }
    System.out.println(json.append("}"));
  }

  private static int analyse(
      List<Detection> window, DriftReference reference, WindowAnalysis.Settings settings) {
    WindowContents contents =
        WindowContents.collect(START, START.plus(WINDOW), SLIDE.toMillis(), window);
    return WindowAnalysis.analyse(contents, reference, null, settings, "ON_TIME", 0)
        .topics()
        .size();
  }

  private static Detection detection(String uid, Instant time, boolean anomaly, float[] vector) {
    return Detection.builder()
        .setMessage(
            InboundMessage.builder()
                .setUid(uid)
                .setText("text of " + uid)
                .setEventTime(time)
                .setPublishTime(time)
                .build())
        .setCluster(anomaly ? -1 : 0)
        .setProbability(0.5)
        .setAnomaly(anomaly)
        .setDecision("knn>0.5")
        .setModelVersion("v1")
        .setEmbeddingModel("synthetic")
        .setProcessedTime(time)
        .setEmbedding(vector)
        .build();
  }
}
