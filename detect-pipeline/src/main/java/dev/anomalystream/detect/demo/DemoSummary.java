package dev.anomalystream.detect.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.cli.CommandLine;
import dev.anomalystream.core.detection.DetectionRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Waits for the detector's NDJSON rows of a demo run, then prints what happened: messages,
 * anomalies, precision and recall against the anomalies the demo sent on purpose (uids of the
 * {@code offtopic} split), throughput, publish-to-row latency, and where the outputs are. The last
 * line is the summary as one JSON object. Exit code 0 only when every expected row arrived.
 *
 * <pre>DemoSummary --outputDirectory=DIR --expected=N [--timeoutSeconds=300] [--anomalousSplit=offtopic]
 *     [--ignoreUidPrefix=warmup-] [--outbox=DIR]</pre>
 */
public final class DemoSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoSummary() {}

  /** The figures of one run. */
  record Figures(int messages, int anomalies, int truePositives, int planted, double precision, double recall,
      double messagesPerSecond, long p50LatencyMs, long p99LatencyMs) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    CommandLine options = new CommandLine("DemoSummary", args, Set.of(
        "outputDirectory", "expected", "timeoutSeconds", "anomalousSplit", "ignoreUidPrefix", "outbox"));
    Path output = Path.of(options.required("outputDirectory"));
    int expected = Integer.parseInt(options.required("expected"));
    Duration timeout = Duration.ofSeconds(options.getLong("timeoutSeconds", 300));
    String anomalousSplit = options.get("anomalousSplit", "offtopic");
    String ignored = options.get("ignoreUidPrefix", "");

    List<JsonNode> rows = awaitRows(output.resolve("rows"), expected, timeout, ignored);
    Figures f = figures(rows, anomalousSplit + "-");
    System.out.println();
    System.out.printf(Locale.ROOT, "%-28s %s%n", "messages scored", f.messages() + " of " + expected);
    System.out.printf(Locale.ROOT, "%-28s %d%n", "anomalies flagged", f.anomalies());
    System.out.printf(Locale.ROOT, "%-28s %.3f (%d of %d flagged were planted)%n", "precision", f.precision(), f.truePositives(), f.anomalies());
    System.out.printf(Locale.ROOT, "%-28s %.3f (%d of %d planted were flagged)%n", "recall", f.recall(), f.truePositives(), f.planted());
    System.out.printf(Locale.ROOT, "%-28s %.1f%n", "messages per second", f.messagesPerSecond());
    System.out.printf(Locale.ROOT, "%-28s %d / %d%n", "latency p50 / p99 (ms)", f.p50LatencyMs(), f.p99LatencyMs());
    System.out.printf("%-28s %s%n", "rows (NDJSON)", output.resolve("rows"));
    System.out.printf("%-28s %s%n", "dead letters", output.resolve("errors"));
    System.out.printf("%-28s %s%n", "alert digests (.eml)", options.get("outbox", output.resolve("outbox").toString()));
    ObjectNode summary = JSON.createObjectNode()
        .put("messages", f.messages())
        .put("anomalies", f.anomalies())
        .put("precision", round(f.precision()))
        .put("recall", round(f.recall()))
        .put("messages_per_second", round(f.messagesPerSecond()))
        .put("p50_latency_ms", f.p50LatencyMs())
        .put("p99_latency_ms", f.p99LatencyMs());
    System.out.println(summary);
    if (f.messages() < expected) {
      System.exit(1);
    }
  }

  static Figures figures(List<JsonNode> rows, String plantedUidPrefix) {
    int anomalies = 0;
    int truePositives = 0;
    int planted = 0;
    List<Long> latencies = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    for (JsonNode row : rows) {
      boolean flagged = row.path(DetectionRow.IS_ANOMALY).asBoolean();
      boolean isPlanted = row.path(DetectionRow.UID).asText().startsWith(plantedUidPrefix);
      anomalies += flagged ? 1 : 0;
      planted += isPlanted ? 1 : 0;
      truePositives += flagged && isPlanted ? 1 : 0;
      Instant published = Instant.parse(row.path(DetectionRow.PUBLISH_TIME).asText());
      Instant processed = Instant.parse(row.path(DetectionRow.PROCESSED_TIME).asText());
      latencies.add(Duration.between(published, processed).toMillis());
      first = first == null || published.isBefore(first) ? published : first;
      last = last == null || processed.isAfter(last) ? processed : last;
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double seconds = first == null ? 0 : Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0);
    return new Figures(rows.size(), anomalies, truePositives, planted,
        anomalies == 0 ? 0 : truePositives / (double) anomalies,
        planted == 0 ? 0 : truePositives / (double) planted,
        seconds == 0 ? 0 : rows.size() / seconds,
        percentile(sorted, 0.50), percentile(sorted, 0.99));
  }

  /** Nearest-rank percentile; 0 for no data. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static List<JsonNode> awaitRows(Path rowsDirectory, int expected, Duration timeout, String ignoredUidPrefix)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> rows = readRows(rowsDirectory, ignoredUidPrefix);
    int shown = -1;
    while (rows.size() < expected && System.nanoTime() < deadline) {
      if (rows.size() != shown) {
        System.out.printf("\rdetector rows: %d of %d", rows.size(), expected);
        System.out.flush();
        shown = rows.size();
      }
      Thread.sleep(1000);
      rows = readRows(rowsDirectory, ignoredUidPrefix);
    }
    System.out.printf("\rdetector rows: %d of %d%n", rows.size(), expected);
    return rows;
  }

  /** Every row once (a uid seen in two files, a retried write, counts once), but the ignored ones. */
  private static List<JsonNode> readRows(Path directory, String ignoredUidPrefix) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    Map<String, JsonNode> byUid = new HashMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            JsonNode row = JSON.readTree(line);
            String uid = row.path(DetectionRow.UID).asText();
            if (ignoredUidPrefix.isEmpty() || !uid.startsWith(ignoredUidPrefix)) {
              byUid.putIfAbsent(uid, row);
            }
          }
        }
      }
    }
    return new ArrayList<>(byUid.values());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
