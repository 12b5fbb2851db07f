package dev.anomalystream.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.bench.stream.StreamScenarioScore.StreamScenarioScoreOptions;
import dev.anomalystream.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scorer on a small output directory written by hand, figures worked out by hand. */
class StreamScenarioScoreTest {
  private static final double EPSILON = 1e-9;

  @TempDir Path dir;

  private Path scenarios;
  private Path output;

  /**
   * Scenario {@code burst}: 3 h from midnight, change at 01:30, a burst of four (b-1..b-4) among
   * seven normal messages (n-1..n-7).
   */
  private void writeScenario() throws IOException {
    scenarios = Files.createDirectories(dir.resolve("scenarios"));
    Files.writeString(
        scenarios.resolve("scenarios.json"),
        """
        {"seed": 1, "scenarios": [
          {"name": "normal-24h", "file": "normal-24h.jsonl", "start": "2026-11-30T00:00:00Z",
           "end": "2026-12-01T00:00:00Z", "change": null, "burst_uids": []},
          {"name": "burst", "file": "burst.jsonl", "start": "2026-11-30T00:00:00Z",
           "end": "2026-11-30T03:00:00Z", "change": "2026-11-30T01:30:00Z",
           "burst_uids": ["b-1", "b-2", "b-3", "b-4"]}
        ]}
        """);
    StringBuilder stream = new StringBuilder();
    for (int i = 1; i <= 7; i++) {
      stream.append(line("n-" + i, "sadness"));
    }
    for (int i = 1; i <= 4; i++) {
      stream.append(line("b-" + i, "off-topic"));
    }
    Files.writeString(scenarios.resolve("burst.jsonl"), stream);
  }

  private static String line(String uid, String label) {
    return "{\"uid\": \""
        + uid
        + "\", \"text\": \"some text\", \"event_time\": \"2026-11-30T01:00:00Z\", \"label\": \""
        + label
        + "\"}\n";
  }

  private static String window(String start, String end, boolean drift) {
    return "{\"window_start\": \"2026-11-30T"
        + start
        + "Z\", \"window_end\": \"2026-11-30T"
        + end
        + "Z\", \"messages\": 100, \"anomalies\": 3, \"drift_score\": 0.5,"
        + " \"drift_threshold\": 1.0, \"is_drift\": "
        + drift
        + ", \"model_version\": \"v1\"}\n";
  }

  private static String topic(String id, String first, String last, int size, String uids) {
    return "{\"topic_id\": \""
        + id
        + "\", \"first_window_end\": \"2026-11-30T"
        + first
        + "Z\", \"last_window_end\": \"2026-11-30T"
        + last
        + "Z\", \"size\": "
        + size
        + ", \"uids\": ["
        + uids
        + "], \"terms\": [\"many\"], \"examples\": [\"some text\"], \"model_version\": \"v1\"}\n";
  }

  private static String row(String uid, boolean anomaly, Double windowScore, double knnScore) {
    return "{\"uid\": \""
        + uid
        + "\", \"is_anomaly\": "
        + anomaly
        + (windowScore == null ? "" : ", \"window_score\": " + windowScore)
        + ", \"knn_score\": "
        + knnScore
        + "}\n";
  }

  private void writeOutput() throws IOException {
    output = dir.resolve("out");
    Path windows = Files.createDirectories(output.resolve("windows/shard-a"));
    // before the change (ends at or before 01:30): 7 windows, 4 drifting in 3 runs
    Files.writeString(
        windows.resolve("windows-1.json"),
        window("00:20:00", "00:30:00", false)
            + window("00:30:00", "00:40:00", true)
            + window("00:31:00", "00:41:00", true)
            + window("00:32:00", "00:42:00", false)
            + window("00:50:00", "01:00:00", true)
            + window("01:00:00", "01:10:00", false)
            + window("01:20:00", "01:30:00", true)
            + window("01:23:00", "01:33:00", false));
    Files.writeString(
        output.resolve("windows/windows-2.json"),
        // a repeat of a window, and a late update that turns 01:33 into the first drift after
        // the change
        window("00:20:00", "00:30:00", false)
            + window("01:23:00", "01:33:00", true)
            + window("01:24:00", "01:34:00", true)
            // an offset instead of Z
            + "{\"window_start\": \"2026-11-30T01:50:00+00:00\","
            + " \"window_end\": \"2026-11-30T02:00:00+00:00\", \"is_drift\": false}\n");
    // half a file, still being written: never read
    Files.writeString(output.resolve("windows/windows-3.json.inprogress"), "{\"window_sta");

    Path topics = Files.createDirectories(output.resolve("topics"));
    Files.writeString(
        topics.resolve("topics-1.json"),
        topic("t1", "00:20:00", "00:20:00", 2, "\"n-1\", \"n-2\"")
            + topic(
                "t2", "01:35:00", "01:40:00", 5, "\"b-1\", \"b-2\", \"b-3\", \"n-3\", \"n-4\""));
    // an earlier, smaller state of t2 read after its grown one must not replace it
    Files.writeString(
        topics.resolve("topics-2.json"),
        topic("t2", "01:35:00", "01:35:00", 3, "\"b-1\", \"b-2\", \"n-3\"")
            + topic("t3", "01:36:00", "01:36:00", 1, "\"b-4\""));

    Path rows = Files.createDirectories(output.resolve("rows"));
    Files.writeString(
        rows.resolve("rows-1.json"),
        row("n-1", true, 0.1, 0.1)
            + row("n-2", false, 0.2, 0.2)
            + row("n-3", false, 0.3, 0.3)
            + row("n-4", false, 0.4, 0.4)
            + row("n-5", false, 0.5, 0.5)
            // no window score: left out of both AUROCs
            + row("n-6", false, null, 0.6)
            // not in the stream: left out
            + row("x-1", true, 0.9, 0.9));
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(rows.resolve("rows-2.json.gz")))) {
      gz.write(
          (row("b-1", true, 0.6, 0.35)
                  + row("b-2", true, 0.7, 0.55)
                  + row("b-3", true, 0.8, 0.7)
                  + row("b-4", false, 0.9, 0.8))
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private ObjectNode run(String scenario, ByteArrayOutputStream printed) throws IOException {
    StreamScenarioScoreOptions options =
        PipelineOptionsFactory.fromArgs(
                "--scenario=" + scenario,
                "--scenarios=" + scenarios,
                "--output=" + output,
                "--markdown")
            .as(StreamScenarioScoreOptions.class);
    return StreamScenarioScore.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Test
  void scoresABurstScenario() throws IOException {
    writeScenario();
    writeOutput();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ObjectNode result = run("burst", printed);

    assertEquals(10, result.get("windows").asInt());
    assertEquals(7, result.get("windows_before_change").asInt());
    assertEquals(4, result.get("false_drift_windows").asInt());
    assertEquals(3, result.get("false_drift_episodes").asInt());
    assertEquals(4 * 1440 / 90.0, result.get("false_drift_windows_per_day").asDouble(), EPSILON);
    assertEquals(6, result.get("drift_windows").asInt());
    assertEquals(3.0, result.get("delay_minutes").asDouble(), EPSILON);

    assertEquals(3, result.get("topics_total").asInt());
    assertEquals(1, result.get("topics_before_change").asInt());
    assertEquals(2, result.get("burst_topics").asInt());
    assertEquals("t2", result.get("burst_topic_id").asText());
    assertEquals(5, result.get("burst_topic_size").asInt());
    assertEquals(0.75, result.get("burst_share").asDouble(), EPSILON);
    assertEquals(0.6, result.get("purity").asDouble(), EPSILON);

    assertEquals(10, result.get("rows").asInt());
    assertEquals(4, result.get("rows_off_topic").asInt());
    assertEquals(9, result.get("rows_with_both_scores").asInt());
    assertEquals(0.75, result.get("flagged_share_off_topic").asDouble(), EPSILON);
    assertEquals(1 / 6.0, result.get("flagged_share_normal").asDouble(), EPSILON);
    // every off-topic window score is above every normal one
    assertEquals(1.0, result.get("auroc_window_score").asDouble(), EPSILON);
    // kNN: 0.35 beats 3 of the 5 normal scores, 0.55 and the rest all 5: 18 of 20 pairs
    assertEquals(0.9, result.get("auroc_knn_score").asDouble(), EPSILON);

    String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertEquals("| burst | 64.0 (3) | 3.0 | 0.75 | 0.60 | 3 (1) | 1.000 | 0.900 |", lines[0]);
    // compared as parsed text: the printed numbers read back as other node types
    assertEquals(Json.MAPPER.readTree(result.toString()), Json.MAPPER.readTree(lines[1]));
  }

  @Test
  void withoutAChangeEveryDriftWindowIsFalseAndThereIsNoDelay() {
    Scenario.Truth truth =
        new Scenario.Truth(
            "normal-24h",
            "normal-24h.jsonl",
            Instant.parse("2026-11-30T00:00:00Z"),
            Instant.parse("2026-12-01T00:00:00Z"),
            null,
            List.of());
    List<StreamScenarioScore.Window> windows =
        List.of(
            window(10, false),
            window(11, true),
            window(12, true),
            window(600, true),
            window(601, false));
    ObjectNode result =
        StreamScenarioScore.score(
            truth,
            windows,
            List.of(),
            List.of(new StreamScenarioScore.Scored(false, false, 0.1, 0.2)));
    assertEquals(3, result.get("false_drift_windows").asInt());
    assertEquals(3.0, result.get("false_drift_windows_per_day").asDouble(), EPSILON);
    // 600 follows 12 in the list, but windows are missing between them: two runs, not one
    assertEquals(2, result.get("false_drift_episodes").asInt());
    assertTrue(result.get("delay_minutes").isNull());
    assertTrue(result.get("burst_share").isNull());
    assertTrue(result.get("purity").isNull());
    assertTrue(result.get("auroc_window_score").isNull(), "no off-topic rows, no AUROC");
    assertEquals(
        "| normal-24h | 3.0 (2) | – | – | – | 0 (0) | – | – |",
        StreamScenarioScore.markdownRow(result));
  }

  @Test
  void anUnknownScenarioNamesTheKnownOnes() throws IOException {
    writeScenario();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StreamScenarioScore.truth(scenarios.resolve("scenarios.json"), "rise"));
    assertTrue(e.getMessage().contains("normal-24h, burst"), e.getMessage());
  }

  private static StreamScenarioScore.Window window(int endMinute, boolean drift) {
    Instant end = Instant.parse("2026-11-30T00:00:00Z").plusSeconds(60L * endMinute);
    return new StreamScenarioScore.Window(end.minusSeconds(600), end, drift);
  }
}
