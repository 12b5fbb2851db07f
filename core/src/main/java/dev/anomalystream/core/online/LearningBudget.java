package dev.anomalystream.core.online;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much may be learned per window of event time, so that a flood cannot rewrite the memory in
 * one window: at most {@code perWindow} entries in each tumbling window of {@code window}. A few
 * recent windows are counted (messages arrive a little out of order); older counts are dropped.
 */
public final class LearningBudget implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Windows counted at once: the current one and a few behind it. */
  private static final int WINDOWS_KEPT = 4;

  private final int perWindow;
  private final long windowMillis;
  private final TreeMap<Long, Integer> learnedPerWindow = new TreeMap<>();

  /**
   * @param perWindow the most entries learned per window, at least 0
   * @param window the window's length, positive
   */
  public LearningBudget(int perWindow, Duration window) {
    if (perWindow < 0) {
      throw new IllegalArgumentException(
          "the learning budget must not be negative, was " + perWindow);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "the learning budget's window must be positive, was " + window);
    }
    this.perWindow = perWindow;
    this.windowMillis = window.toMillis();
  }

  /** Takes one from the budget of the window holding {@code timeMillis}; false when it is spent. */
  public boolean take(long timeMillis) {
    long window = Math.floorDiv(timeMillis, windowMillis);
    int spent = learnedPerWindow.getOrDefault(window, 0);
    if (spent >= perWindow) {
      return false;
    }
    learnedPerWindow.put(window, spent + 1);
    while (learnedPerWindow.size() > WINDOWS_KEPT) {
      learnedPerWindow.pollFirstEntry();
    }
    return true;
  }

  /** Learned so far in the window holding {@code timeMillis}. */
  public int spent(long timeMillis) {
    return learnedPerWindow.getOrDefault(Math.floorDiv(timeMillis, windowMillis), 0);
  }

  /** The counts by window number, for state; {@link #restore} takes them back. */
  public Map<Long, Integer> counts() {
    return new TreeMap<>(learnedPerWindow);
  }

  public void restore(Map<Long, Integer> counts) {
    learnedPerWindow.clear();
    learnedPerWindow.putAll(counts);
  }

  public void clear() {
    learnedPerWindow.clear();
  }
}
