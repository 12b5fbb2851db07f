package dev.anomalystream.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the tests that look at a page find Debian's {@code chromium}. */
public final class ChromiumBinary {
  /** How the browser tests start it: headless, and none of its own network traffic. */
  public static final List<String> HEADLESS_FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--hide-scrollbars");

  private ChromiumBinary() {}

  /**
   * {@code -Dchromium.binary}, else {@code /usr/bin/chromium}, {@code chromium} or {@code
   * chromium-browser} on the PATH; null when there is none (the caller skips, saying how to install
   * it).
   */
  public static Path find() {
    String configured = System.getProperty("chromium.binary");
    if (configured != null) {
      Path path = Path.of(configured);
      return Files.isExecutable(path) ? path : null;
    }
    List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/chromium")));
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!directory.isEmpty()) {
        candidates.add(Path.of(directory, "chromium"));
        candidates.add(Path.of(directory, "chromium-browser"));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }
}
