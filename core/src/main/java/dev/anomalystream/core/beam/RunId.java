package dev.anomalystream.core.beam;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Names the files one run of a streaming job writes ({@link StreamingJsonFiles}): the launch time
 * and a random part, so files of one run sort together and a detector restarted on the same output
 * directory never writes over the run before it (Beam's windowed file names, used before, counted
 * panes from 0 in every run and did). Taken when the pipeline is built, so every worker of one run
 * uses the same one.
 */
public final class RunId {
  private static final DateTimeFormatter LAUNCH_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Random RANDOM = new SecureRandom();

  private RunId() {}

  /** For example {@code 20261130T051500Z-3f9a1c}: sorts by launch time, unique across restarts. */
  public static String create() {
    return create(Instant.now(), RANDOM);
  }

  static String create(Instant launch, Random random) {
    return LAUNCH_TIME.format(launch)
        + String.format(Locale.ROOT, "-%06x", random.nextInt(1 << 24));
  }
}
