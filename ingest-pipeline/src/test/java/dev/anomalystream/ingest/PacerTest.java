package dev.anomalystream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PacerTest {
  @Test
  void slotsAreEvenlySpacedFromTheFirst() {
    AtomicLong now = new AtomicLong(1_000);
    Pacer pacer = new Pacer(4.0, now::get); // a slot every 250 ms
    assertEquals(0, pacer.reserve());
    assertEquals(250_000_000L, pacer.reserve());
    assertEquals(500_000_000L, pacer.reserve());
    now.addAndGet(600_000_000L);
    assertEquals(150_000_000L, pacer.reserve()); // slot 3 is due at 750 ms
  }

  @Test
  void aLateCallerIsNotMadeToWaitButTheScheduleHolds() {
    AtomicLong now = new AtomicLong(0);
    Pacer pacer = new Pacer(10.0, now::get);
    pacer.reserve();
    now.set(1_000_000_000L); // 1 s later: slots 1..10 are all due
    assertEquals(0, pacer.reserve());
    assertEquals(0, pacer.reserve());
  }

  @Test
  void rateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Pacer(0, System::nanoTime));
  }
}
