package dev.anomalystream.core.stream;

/**
 * Which of the overlapping sliding windows holding a message gives it its window score: the one
 * whose centre is nearest the message (the later one on a tie), so a message is judged against what
 * came shortly before and shortly after it, and each message is scored exactly once.
 */
public final class CentredWindow {
  private CentredWindow() {}

  /**
   * Whether the window {@code [startMillis, endMillis)}, one of the sliding windows every {@code
   * periodMillis}, is the one centred on the message at {@code timeMillis}.
   */
  public static boolean isCentredOn(
      long startMillis, long endMillis, long timeMillis, long periodMillis) {
    long size = endMillis - startMillis;
    if (timeMillis < startMillis || timeMillis >= endMillis) {
      return false;
    }
    // the window starts lie on startMillis' grid; the ideal one starts half a window before t
    double ideal = timeMillis - size / 2.0;
    long steps = (long) Math.floor((ideal - startMillis) / periodMillis + 0.5);
    long best = startMillis + steps * periodMillis;
    // a window of the grid that still holds t: start in (t - size, t]
    while (best > timeMillis) {
      best -= periodMillis;
    }
    while (best <= timeMillis - size) {
      best += periodMillis;
    }
    return best == startMillis;
  }
}
