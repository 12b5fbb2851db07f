package dev.anomalystream.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HdbscanConformanceTest {

  @ParameterizedTest
  @ValueSource(strings = {"blobs2d", "blobs2d_ms5", "unit64"})
  void matchesTheReferenceImplementation(String caseName) throws IOException {
    HdbscanConformance.Report report = run(caseName);
    assertTrue(report.passes(), report::toString);
  }

  private HdbscanConformance.Report run(String caseName) throws IOException {
    String resource = "/conformance/hdbscan/" + caseName + ".json";
    try (InputStream json = getClass().getResourceAsStream(resource)) {
      assertNotNull(json, resource);
      HdbscanConformance.Report report = HdbscanConformance.run(caseName, json);
      System.out.println(report);
      return report;
    }
  }
}
