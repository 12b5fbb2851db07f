package dev.anomalystream.core.stream;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.detection.InboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What one pass over a window's messages keeps for its analysis, with memory bounded whatever the
 * traffic: the counts, every anomaly (up to a cap), the messages the window scores (those it is
 * centred on) and a uniform sample of all messages for clustering and the drift test.
 */
public final class WindowContents {
  /** Messages sampled for k-means and the drift test; the counts stay exact. */
  public static final int MAX_SAMPLE = 5000;

  /** Anomalies clustered into topics; beyond it they are sampled. */
  public static final int MAX_ANOMALIES = 2000;

  /** A message as the window sees it: its vector and the model's decision. */
  public record Sampled(float[] embedding, boolean anomalous) {}

  /** A message the window scores. */
  public record Centred(String uid, float[] embedding) {}

  private final Instant start;
  private final Instant end;
  private long messages;
  private long anomalyCount;
  private long withoutEmbedding;
  private long embedded;
  private long embeddedAnomalies;
  private final List<Sampled> sample = new ArrayList<>();
  private final List<TopicFinder.Anomaly> anomalies = new ArrayList<>();
  private final List<Centred> centred = new ArrayList<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final Random random;

  private WindowContents(Instant start, Instant end) {
    this.start = start;
    this.end = end;
    // seeded by the window, so a window analysed twice samples alike
    this.random = new Random(start.toEpochMilli() ^ end.toEpochMilli());
  }

  /**
   * One pass over the window's detections (which carry their embeddings).
   *
   * @param slideMillis the windows' period, to tell which messages this window is centred on
   */
  public static WindowContents collect(
      Instant start, Instant end, long slideMillis, Iterable<Detection> detections) {
    WindowContents contents = new WindowContents(start, end);
    for (Detection detection : detections) {
      contents.add(detection, slideMillis);
    }
    return contents;
  }

  private void add(Detection detection, long slideMillis) {
    messages++;
    if (detection.isAnomaly()) {
      anomalyCount++;
    }
    versions.merge(detection.getModelVersion(), 1L, Long::sum);
    float[] embedding = detection.getEmbedding();
    if (embedding == null) {
      withoutEmbedding++;
      return;
    }
    InboundMessage message = detection.getMessage();
    reservoirAdd(sample, new Sampled(embedding, detection.isAnomaly()), ++embedded, MAX_SAMPLE);
    if (detection.isAnomaly()) {
      reservoirAdd(
          anomalies,
          new TopicFinder.Anomaly(message.getUid(), message.getText(), embedding),
          ++embeddedAnomalies,
          MAX_ANOMALIES);
    }
    if (CentredWindow.isCentredOn(
        start.toEpochMilli(), end.toEpochMilli(), eventTime(message).toEpochMilli(), slideMillis)) {
      centred.add(new Centred(message.getUid(), embedding));
    }
  }

  /** Algorithm R: after n offers each element is kept with probability cap / n. */
  private <T> void reservoirAdd(List<T> reservoir, T element, long seen, int cap) {
    if (reservoir.size() < cap) {
      reservoir.add(element);
      return;
    }
    long slot = (long) (random.nextDouble() * seen);
    if (slot < cap) {
      reservoir.set((int) slot, element);
    }
  }

  /** The time windows place a message at: its event_time, else its publish time. */
  public static Instant eventTime(InboundMessage message) {
    return message.getEventTime() != null ? message.getEventTime() : message.getPublishTime();
  }

  public Instant start() {
    return start;
  }

  public Instant end() {
    return end;
  }

  public long messages() {
    return messages;
  }

  public long anomalyCount() {
    return anomalyCount;
  }

  /** Messages that reached the window without their embedding (not clustered, not scored). */
  public long withoutEmbedding() {
    return withoutEmbedding;
  }

  public List<Sampled> sample() {
    return sample;
  }

  public List<TopicFinder.Anomaly> anomalies() {
    return anomalies;
  }

  public List<Centred> centred() {
    return centred;
  }

  /** The model version most of the window's messages were scored with, or null for none. */
  public String modelVersion() {
    return versions.entrySet().stream()
        .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
