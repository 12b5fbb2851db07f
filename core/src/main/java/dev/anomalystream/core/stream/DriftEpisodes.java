package dev.anomalystream.core.stream;

import java.io.Serializable;

/**
 * Which drifting windows to alert: the first of each run of drifting windows. With windows sliding
 * every minute a drift lasting half an hour is thirty drifting windows, and one alert. Fed the
 * windows in the order they end; a late pane re-decides a window already seen and is left out.
 */
public final class DriftEpisodes implements Serializable {
  private static final long serialVersionUID = 1L;

  private boolean drifting;

  /** Whether {@code window} starts a drift episode (and so is alerted). */
  public boolean starts(WindowSummary window) {
    if (window.paneIndex() > 0) {
      return false;
    }
    boolean starts = window.isDrift() && !drifting;
    drifting = window.isDrift();
    return starts;
  }
}
