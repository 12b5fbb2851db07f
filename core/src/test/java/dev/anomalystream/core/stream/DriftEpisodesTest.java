package dev.anomalystream.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anomalystream.core.model.DriftDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftEpisodesTest {
  private static final Instant START = Instant.parse("2026-11-30T00:00:00Z");

  static WindowSummary window(int minute, Boolean drift, long paneIndex) {
    Instant end = START.plus(Duration.ofMinutes(minute));
    return new WindowSummary(
        end.minus(Duration.ofMinutes(10)),
        end,
        100,
        drift != null && drift ? 20 : 1,
        drift == null ? null : new DriftDecision(drift ? 9 : 1, 4.16, 0.5, 0.2, drift),
        0,
        "v1",
        paneIndex == 0 ? "ON_TIME" : "LATE",
        paneIndex);
  }

  @Test
  void onlyTheFirstWindowOfEachRunOfDriftingWindowsStartsAnEpisode() {
    DriftEpisodes episodes = new DriftEpisodes();
    Boolean[] decisions = {false, true, true, true, false, null, true, true, false};
    List<Integer> starts = new ArrayList<>();
    for (int minute = 0; minute < decisions.length; minute++) {
      if (episodes.starts(window(minute, decisions[minute], 0))) {
        starts.add(minute);
      }
    }
    assertEquals(List.of(1, 6), starts);
  }

  @Test
  void aLatePaneNeitherStartsNorEndsAnEpisode() {
    DriftEpisodes episodes = new DriftEpisodes();
    assertEquals(true, episodes.starts(window(1, true, 0)));
    // a late update of an earlier, calm window: the episode goes on
    assertEquals(false, episodes.starts(window(0, false, 1)));
    assertEquals(false, episodes.starts(window(2, true, 0)));
    // a late pane that drifts does not alert again either
    assertEquals(false, episodes.starts(window(0, true, 1)));
  }
}
