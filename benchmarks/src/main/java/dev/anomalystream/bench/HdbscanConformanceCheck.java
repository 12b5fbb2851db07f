package dev.anomalystream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs HDBSCAN conformance case files (JSON from the reference library) and prints, per case, the
 * agreement and the largest errors. Exit status 1 when a case falls below the bars, 2 on a file
 * that cannot be read.
 */
public final class HdbscanConformanceCheck {
  private HdbscanConformanceCheck() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: hdbscan-conformance CASE.json...");
      System.exit(2);
    }
    boolean allPass = true;
    for (String file : args) {
      Path path = Path.of(file);
      String name = path.getFileName().toString().replaceFirst("\\.json$", "");
      try (InputStream json = Files.newInputStream(path)) {
        HdbscanConformance.Report report = HdbscanConformance.run(name, json);
        System.out.println(report);
        allPass &= report.passes();
      } catch (IOException | RuntimeException e) {
        System.err.println(file + ": cannot run the case: " + e);
        System.exit(2);
      }
    }
    System.exit(allPass ? 0 : 1);
  }
}
