package dev.anomalystream.core.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping what a test started, so no process outlives it. */
public final class Processes {
  private Processes() {}

  /**
   * Asks the process and its children to stop (SIGTERM), waits {@code grace}, then kills whatever
   * is left and waits for it. Children too: a launcher script's JVM child would outlive the script.
   */
  public static void stop(Process process, Duration grace) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
