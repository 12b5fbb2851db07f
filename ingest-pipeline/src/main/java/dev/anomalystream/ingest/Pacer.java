package dev.anomalystream.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Hands out send slots at a steady rate: slot k is due {@code k / rate} seconds after the first.
 * One pacer is shared by every thread of a JVM (see {@link #shared}), so a local run replays at the
 * requested total rate however many DoFn instances the runner makes.
 */
final class Pacer {
  private static final ConcurrentHashMap<String, Pacer> SHARED = new ConcurrentHashMap<>();

  private final double nanosPerSlot;
  private final LongSupplier clock;
  private long slotsIssued;
  private long firstSlotNanos;

  Pacer(double ratePerSecond, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
    }
    this.nanosPerSlot = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    this.clock = nanoClock;
  }

  static Pacer shared(String key, double ratePerSecond) {
    return SHARED.computeIfAbsent(
        key + "@" + ratePerSecond, k -> new Pacer(ratePerSecond, System::nanoTime));
  }

  /** Reserves the next slot and returns how many nanoseconds from now it is due (0 if due). */
  synchronized long reserve() {
    long now = clock.getAsLong();
    if (slotsIssued == 0) {
      firstSlotNanos = now;
    }
    long due = firstSlotNanos + (long) (slotsIssued * nanosPerSlot);
    slotsIssued++;
    return Math.max(0, due - now);
  }

  /** Blocks until the next slot is due. */
  void acquire() throws InterruptedException {
    long wait = reserve();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
