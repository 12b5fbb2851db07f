package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anomalystream.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratedRatesTest {

  /** metadata.json as the model store writes it, with only what reading it needs. */
  static void writeVersion(Path store, String version) throws Exception {
    Path directory = Files.createDirectories(store.resolve("tweets").resolve(version));
    Files.writeString(
        directory.resolve("metadata.json"),
        "{\"format_version\":1,\"model_name\":\"tweets\",\"version\":\""
            + version
            + "\",\"embedding\":{\"model_id\":\"BAAI/bge-small-en-v1.5\",\"dimension\":384},"
            + "\"calibration\":{\"score\":\"knn\",\"threshold\":0.28,"
            + "\"target_false_alarm_rate\":0.02},\"alternative_calibrations\":[{\"score\":"
            + "\"glosh\",\"threshold\":0.7,\"target_false_alarm_rate\":0.05}]}");
  }

  @Test
  void theRateOfTheRowsVersionAndScore(@TempDir Path store) throws Exception {
    writeVersion(store, "v1");
    CalibratedRates rates = new CalibratedRates(store, "tweets");
    assertEquals(Optional.of(0.02), rates.targetFor("v1", "knn>0.2800"));
    assertEquals(Optional.of(0.05), rates.targetFor("v1", "glosh>0.7000"));
    assertEquals(Optional.empty(), rates.targetFor("v1", "cluster"));
    assertEquals(Optional.empty(), rates.targetFor("v2", "knn>0.2800"));
    assertEquals(Optional.empty(), rates.targetFor(null, "knn>0.2800"));
  }

  @Test
  void aFixedVersionDirectoryServesItsOwnVersion(@TempDir Path store) throws Exception {
    writeVersion(store, "v1");
    CalibratedRates rates = new CalibratedRates(store.resolve("tweets").resolve("v1"), "tweets");
    assertEquals(Optional.of(0.02), rates.targetFor("v1", "knn>0.2800"));
    assertEquals(Optional.empty(), rates.targetFor("v0", "knn>0.2800"));
  }

  @Test
  void rowsCarryTheirVersionsRate(@TempDir Path store) throws Exception {
    writeVersion(store, "v20261130-070000");
    JsonNode page =
        Json.MAPPER.readTree(
            DashboardRows.toPageRow(
                    TestRows.line("u-1", "text", false, 0.1), new CalibratedRates(store, "tweets"))
                .json());
    assertEquals(0.02, page.get(DashboardRows.TARGET_FALSE_ALARM_RATE).asDouble());
  }
}
