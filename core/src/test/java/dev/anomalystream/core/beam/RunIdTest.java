package dev.anomalystream.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunIdTest {
  @Test
  void startsWithTheLaunchTimeInUtcSoFilesSortByRun() {
    String id = RunId.create(Instant.parse("2026-11-30T05:15:00.999Z"), new Random(1));
    assertTrue(id.matches("20261130T051500Z-[0-9a-f]{6}"), id);
  }

  @Test
  void twoRunsLaunchedInTheSameSecondStillDiffer() {
    Instant launch = Instant.parse("2026-11-30T05:15:00Z");
    Random random = new Random(7);
    assertNotEquals(RunId.create(launch, random), RunId.create(launch, random));
    assertEquals(
        RunId.create(launch, new Random(7)), RunId.create(launch, new Random(7)), "seeded");
  }
}
