package dev.anomalystream.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anomalystream.core.dataset.SyntheticEmbeddings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DriftReferenceTest {
  private static final int TOPICS = 4;
  private static final int DIMENSION = 16;

  /** Held-out normal messages the model flags, as a 1 % false-alarm threshold would. */
  private static final double FLAGGED_SHARE = 0.01;

  private static final int FIT = 4000;
  private static final int CALIBRATION = 2000;

  /** Points around {@link #TOPICS} directions; point i is of topic {@code i % TOPICS}. */
  private static float[][] points;

  private static DriftReference reference;

  @BeforeAll
  static void fitReference() {
    points = SyntheticEmbeddings.groups(new Random(7), TOPICS, 2500, DIMENSION, 0.15);
    float[][] fit = Arrays.copyOfRange(points, 0, FIT);
    float[][] calibration = Arrays.copyOfRange(points, FIT, FIT + CALIBRATION);
    reference =
        DriftReference.fit(
            fit,
            calibration,
            flags(new Random(8), CALIBRATION),
            DriftReference.DEFAULT_TARGET_FALSE_DRIFT_RATE,
            42);
  }

  private static boolean[] flags(Random random, int count) {
    boolean[] flagged = new boolean[count];
    for (int i = 0; i < count; i++) {
      flagged[i] = random.nextDouble() < FLAGGED_SHARE;
    }
    return flagged;
  }

  /** Unseen points (after the fit and calibration ones), of any topic or of the given ones. */
  private static float[] unseen(Random random, int... topics) {
    int topic = topics.length == 0 ? random.nextInt(TOPICS) : topics[random.nextInt(topics.length)];
    // FIT + CALIBRATION is a multiple of TOPICS, so the unseen points keep the i % TOPICS rule
    int base = FIT + CALIBRATION;
    int perTopic = (points.length - base) / TOPICS;
    return points[base + TOPICS * random.nextInt(perTopic) + topic];
  }

  @Test
  void fitsTheDefaultCellsWithSharesFromTheFit() {
    assertEquals(DriftReference.DEFAULT_CELLS, reference.cells());
    assertEquals(DIMENSION, reference.dimension());
    ModelMetadata.Drift drift = reference.metadata();
    assertEquals(DriftReference.STATISTIC, drift.statistic());
    assertEquals(
        1.0, drift.referenceShares().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertTrue(drift.referenceShares().stream().allMatch(share -> share > 0.02), drift.toString());
    assertEquals(FLAGGED_SHARE, drift.expectedAnomalyRate(), 0.006);
    assertEquals(-Math.log10(0.1 / 1440), drift.threshold(), 1e-9);
    assertEquals(DriftReference.SIMULATED_WINDOW_MESSAGES.length, drift.nullSimulations().size());
  }

  @Test
  void aWindowOfTheReferenceMixDoesNotDrift() {
    Random random = new Random(11);
    DriftReference.Counts counts = reference.newCounts();
    for (int i = 0; i < 100; i++) {
      counts.add(unseen(random), random.nextDouble() < FLAGGED_SHARE);
    }
    DriftDecision decision = reference.decide(counts, 1);
    assertFalse(decision.drift(), decision.toString());
    assertTrue(decision.score() < decision.threshold(), decision.toString());
  }

  @Test
  void aWindowWithThirtyPercentOffTopicMessagesDrifts() {
    Random random = new Random(12);
    DriftReference.Counts counts = reference.newCounts();
    for (int i = 0; i < 70; i++) {
      counts.add(unseen(random), false);
    }
    for (float[] offTopic : SyntheticEmbeddings.uniform(random, 30, DIMENSION)) {
      counts.add(offTopic, true);
    }
    assertEquals(100, counts.messages());
    assertEquals(30, counts.anomalies());
    DriftDecision decision = reference.decide(counts, 1);
    assertTrue(decision.drift(), decision.toString());
  }

  @Test
  void aShiftInTheMixOfNormalTopicsDriftsWithNoMessageFlagged() {
    Random random = new Random(13);
    DriftReference.Counts counts = reference.newCounts();
    for (int i = 0; i < 100; i++) {
      counts.add(unseen(random, 0, 1), false);
    }
    assertEquals(0, counts.anomalies());
    DriftDecision decision = reference.decide(counts, 1);
    assertTrue(decision.drift(), decision.toString());
    assertTrue(decision.effect() > 0.5, decision.toString());
  }

  @Test
  void windowsTooSmallToJudgeDoNotDrift() {
    DriftDecision empty = reference.decide(reference.newCounts(), 1);
    assertEquals(0, empty.score());
    assertFalse(empty.drift());
    DriftReference.Counts one = reference.newCounts();
    one.add(SyntheticEmbeddings.uniform(new Random(14), 1, DIMENSION)[0], true);
    DriftDecision single = reference.decide(one, 1);
    assertEquals(0, single.score());
    assertFalse(single.drift());
  }

  @Test
  void aLongerSlideTestsFewerWindowsADayAndLowersTheThreshold() {
    assertEquals(-Math.log10(0.1 / 144), reference.threshold(10), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> reference.threshold(0));
  }

  @Test
  void countsOfPartsOfAWindowMerge() {
    Random random = new Random(15);
    DriftReference.Counts whole = reference.newCounts();
    DriftReference.Counts first = reference.newCounts();
    DriftReference.Counts second = reference.newCounts();
    for (int i = 0; i < 60; i++) {
      float[] vector = unseen(random, 2);
      boolean flagged = i % 10 == 0;
      whole.add(vector, flagged);
      (i % 2 == 0 ? first : second).add(vector, flagged);
    }
    first.merge(second);
    assertEquals(whole.messages(), first.messages());
    assertEquals(reference.decide(whole, 1), reference.decide(first, 1));
  }

  @Test
  void theSimulatedFalseDriftRateIsNearTheTarget() {
    // 144 false windows a day at a one-minute slide is a per-window rate of 0.1, large enough to
    // count in a test
    float[][] fit = Arrays.copyOfRange(points, 0, FIT);
    float[][] calibration = Arrays.copyOfRange(points, FIT, FIT + CALIBRATION);
    DriftReference lenient =
        DriftReference.fit(fit, calibration, flags(new Random(8), CALIBRATION), 144, 42);
    for (ModelMetadata.NullSimulation simulation : lenient.metadata().nullSimulations()) {
      assertEquals(0.1, simulation.perWindowTarget(), 1e-12);
      assertTrue(simulation.falseDriftRate() <= 0.13, simulation.toString());
      assertTrue(simulation.falseDriftRate() >= 0.03, simulation.toString());
    }
    // on fresh windows of normal messages the reference has not seen
    Random random = new Random(16);
    int windows = 2000;
    int drifted = 0;
    for (int w = 0; w < windows; w++) {
      DriftReference.Counts counts = lenient.newCounts();
      for (int i = 0; i < 100; i++) {
        counts.add(unseen(random), random.nextDouble() < FLAGGED_SHARE);
      }
      drifted += lenient.decide(counts, 1).drift() ? 1 : 0;
    }
    double rate = (double) drifted / windows;
    assertTrue(rate > 0.04 && rate < 0.16, "false drift rate " + rate);
  }

  @Test
  void roundTripsThroughItsFile() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    reference.writeTo(new DataOutputStream(bytes));
    DriftReference read =
        DriftReference.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(reference.metadata(), read.metadata());
    Random random = new Random(17);
    int[] cells = new int[200];
    int[] readCells = new int[200];
    DriftReference.Counts counts = reference.newCounts();
    DriftReference.Counts readCounts = read.newCounts();
    for (int i = 0; i < cells.length; i++) {
      float[] vector = unseen(random, 1, 3);
      cells[i] = reference.cellOf(vector);
      readCells[i] = read.cellOf(vector);
      counts.add(vector, i % 7 == 0);
      readCounts.add(vector, i % 7 == 0);
    }
    assertArrayEquals(cells, readCells);
    assertEquals(reference.decide(counts, 5), read.decide(readCounts, 5));
  }

  @Test
  void refusesAVectorOfAnotherDimension() {
    assertThrows(IllegalArgumentException.class, () -> reference.cellOf(new float[3]));
  }
}
