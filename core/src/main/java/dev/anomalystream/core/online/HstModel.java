package dev.anomalystream.core.online;

import dev.anomalystream.core.model.Calibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Half-Space Trees started from a model version's training vectors: the input range from all of
 * them, the first reference window from a seeded sample, and a threshold calibrated like the
 * version's own scores, on training vectors outside that window (the trees never counted them).
 * Deterministic: every worker that loads the version builds the same trees and threshold.
 */
public final class HstModel {
  /** Most training vectors scored to set the threshold. */
  static final int CALIBRATION_SIZE = 5000;

  private final HalfSpaceTrees.Settings settings;
  private final float[] low;
  private final float[] high;
  private final List<float[]> startingWindow;
  private final Calibration calibration;

  private HstModel(
      HalfSpaceTrees.Settings settings,
      float[] low,
      float[] high,
      List<float[]> startingWindow,
      Calibration calibration) {
    this.settings = settings;
    this.low = low;
    this.high = high;
    this.startingWindow = startingWindow;
    this.calibration = calibration;
  }

  /**
   * @param training the version's training vectors, more than one window of them
   * @param targetFalseAlarmRate the share of normal messages the threshold may flag
   */
  public static HstModel fit(
      float[][] training, HalfSpaceTrees.Settings settings, double targetFalseAlarmRate) {
    if (training.length <= settings.windowSize()) {
      throw new IllegalArgumentException(
          "Half-Space Trees need more than a window ("
              + settings.windowSize()
              + ") of training vectors to calibrate on, the model has "
              + training.length);
    }
    List<float[]> shuffled = new ArrayList<>(Arrays.asList(training));
    Collections.shuffle(shuffled, new Random(settings.seed()));
    List<float[]> window = List.copyOf(shuffled.subList(0, settings.windowSize()));
    List<float[]> held =
        shuffled.subList(
            settings.windowSize(),
            Math.min(shuffled.size(), settings.windowSize() + CALIBRATION_SIZE));
    float[] low = HalfSpaceTrees.lows(shuffled);
    float[] high = HalfSpaceTrees.highs(shuffled);
    HalfSpaceTrees trees = new HalfSpaceTrees(settings, low, high);
    trees.restore(window, List.of());
    double[] scores = held.stream().mapToDouble(trees::anomalyScore).toArray();
    return new HstModel(
        settings, low, high, window, Calibration.fromNormalScores(scores, targetFalseAlarmRate));
  }

  /** Fresh trees whose reference is the starting window and whose latest window is empty. */
  public HalfSpaceTrees start() {
    return restore(startingWindow, List.of());
  }

  /** Trees with the given windows (a reference of none means the starting window). */
  public HalfSpaceTrees restore(List<float[]> reference, List<float[]> latest) {
    HalfSpaceTrees trees = new HalfSpaceTrees(settings, low, high);
    trees.restore(reference.isEmpty() ? startingWindow : reference, latest);
    return trees;
  }

  public Calibration calibration() {
    return calibration;
  }

  public double threshold() {
    return calibration.threshold();
  }

  public HalfSpaceTrees.Settings settings() {
    return settings;
  }
}
