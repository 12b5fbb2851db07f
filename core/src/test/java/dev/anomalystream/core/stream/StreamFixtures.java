package dev.anomalystream.core.stream;

import dev.anomalystream.core.detection.Detection;
import dev.anomalystream.core.testing.SampleDetections;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/** Scored messages and vectors for the stream view's tests. */
final class StreamFixtures {
  /** A window start on the minute grid. */
  static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

  static final Duration WINDOW = Duration.ofMinutes(10);
  static final Duration SLIDE = Duration.ofMinutes(1);

  /** The time every window of {@link #START} is centred on: the middle of the window. */
  static final Instant MIDDLE = START.plus(WINDOW.dividedBy(2));

  private StreamFixtures() {}

  /** {@link SampleDetections#scored} at {@code eventTime}, with its embedding and version. */
  static Detection detection(
      String uid, Instant eventTime, boolean anomaly, float[] embedding, String version) {
    Detection scored = SampleDetections.scored(uid, anomaly);
    return scored.toBuilder()
        .setMessage(
            scored.getMessage().toBuilder()
                .setEventTime(eventTime)
                .setPublishTime(eventTime.plusSeconds(1))
                .build())
        .setModelVersion(version)
        .setProcessedTime(eventTime.plusSeconds(2))
        .setEmbedding(embedding)
        .build();
  }

  static Detection detection(String uid, Instant eventTime, boolean anomaly, float[] embedding) {
    return detection(uid, eventTime, anomaly, embedding, "v1");
  }

  static float[] unit(int dimension, int axis) {
    float[] vector = new float[dimension];
    vector[axis] = 1f;
    return vector;
  }

  /** {@code direction} with gaussian noise of {@code spread} per dimension, normalised. */
  static float[] near(float[] direction, double spread, Random random) {
    float[] vector = new float[direction.length];
    for (int d = 0; d < vector.length; d++) {
      vector[d] = (float) (direction[d] + spread * random.nextGaussian());
    }
    return normalised(vector);
  }

  static float[] randomUnit(int dimension, Random random) {
    return near(new float[dimension], 1.0, random);
  }

  static float[] normalised(float[] vector) {
    double norm = Math.sqrt(Vectors.dot(vector, vector));
    for (int d = 0; d < vector.length; d++) {
      vector[d] = (float) (vector[d] / norm);
    }
    return vector;
  }
}
