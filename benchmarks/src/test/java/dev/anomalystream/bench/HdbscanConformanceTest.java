package dev.anomalystream.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HdbscanConformanceTest {

  @ParameterizedTest
  @ValueSource(strings = {"blobs2d_ms5", "unit64"})
  void matchesTheReferenceImplementation(String caseName) throws IOException {
    HdbscanConformance.Report report = run(caseName);
    assertTrue(report.passes(), report::toString);
  }

  /**
   * The reference fitted blobs2d with its default boruvka_kdtree algorithm, whose
   * approx_min_span_tree=True yields a spanning tree that is not minimal: it joins the two largest
   * groups at mutual reachability 10.38 where the exact tree (checked with scipy's single linkage
   * on the full mutual-reachability matrix) joins them at 6.72. Three noise points between the
   * groups therefore belong to a cluster there, and four queries near them follow (97.8% query
   * agreement instead of 98%). Everything else must match as closely as in the other cases.
   */
  @Test
  void matchesTheReferenceUpToItsApproximateSpanningTree() throws IOException {
    HdbscanConformance.Report report = run("blobs2d");
    assertTrue(
        report.differingTrainingFraction() <= HdbscanConformance.MAX_DIFFERING_TRAINING_FRACTION,
        report::toString);
    assertTrue(report.maxAgreeingError() <= HdbscanConformance.MAX_VALUE_ERROR, report::toString);
    assertTrue(report.queryAgreement() >= 0.97, report::toString);
    assertTrue(
        report.maxAgreeingQueryError() <= HdbscanConformance.MAX_VALUE_ERROR, report::toString);
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
