package dev.anomalystream.detect.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.detection.DetectionRowFiles;
import dev.anomalystream.core.evaluation.ConfusionCounts;
import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.options.OptionValues;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * Waits for the detector's NDJSON rows of a demo run, then prints what happened: messages,
 * anomalies, precision and recall against the anomalies the demo sent on purpose (uids of the
 * {@code offtopic} split), throughput, publish-to-row latency, and where the outputs are. The last
 * line is the summary as one JSON object. Exit code 0 only when every expected row arrived.
 *
 * <pre>
 * DemoSummary --outputDirectory=DIR --expected=N [--timeoutSeconds=300] [--anomalousSplit=offtopic]
 *     [--ignoreUidPrefix=warmup-] [--outbox=DIR] [--detectorRunner=direct] [--bus=pubsub]
 *     [--reportDrain]
 * </pre>
 *
 * <p>{@code messages_per_second} is rows / (first publish time to last processed time), and the
 * latency is publish time to processed time: for a backlog published before the detector started
 * both include the time the messages waited in the queue. {@code --reportDrain} adds {@code
 * drain_seconds} and {@code drain_messages_per_second}: rows / (first to last processed time), the
 * rate at which the detector worked the backlog off once it ran.
 */
public final class DemoSummary {
  /** The options of the demo's summary step. */
  public interface DemoSummaryOptions extends PipelineOptions {
    @Description("The detector's --outputDirectory (NDJSON rows under rows/)")
    @Validation.Required
    String getOutputDirectory();

    void setOutputDirectory(String value);

    @Description("Rows to wait for: the messages the demo replayed")
    @Validation.Required
    Integer getExpected();

    void setExpected(Integer value);

    @Description("Longest wait for the expected rows, in seconds")
    @Default.Long(300)
    long getTimeoutSeconds();

    void setTimeoutSeconds(long value);

    @Description("Split (uid prefix) of the messages that are anomalies on purpose")
    @Default.String("offtopic")
    String getAnomalousSplit();

    void setAnomalousSplit(String value);

    @Description("Rows whose uid starts with this are left out (the warm-up message)")
    @Default.String("")
    String getIgnoreUidPrefix();

    void setIgnoreUidPrefix(String value);

    @Description("Where the detector wrote its .eml digests; default <outputDirectory>/outbox")
    String getOutbox();

    void setOutbox(String value);

    @Description(
        "The detector's runner, reported as \"runner\" in the summary (left out when blank)")
    @Default.String("")
    String getDetectorRunner();

    void setDetectorRunner(String value);

    @Description("The message bus the demo used, reported as \"bus\" (left out when blank)")
    @Default.String("")
    String getBus();

    void setBus(String value);

    @Description("Also report the drain rate: rows / (first to last processed time)")
    @Default.Boolean(false)
    boolean getReportDrain();

    void setReportDrain(boolean value);
  }

  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private DemoSummary() {}

  /** The figures of one run; "positive" = flagged, planted = anomalous on purpose. */
  record Figures(
      int messages,
      ConfusionCounts counts,
      double messagesPerSecond,
      long p50LatencyMs,
      long p99LatencyMs,
      double drainSeconds) {
    long anomalies() {
      return counts.truePositives() + counts.falsePositives();
    }

    long planted() {
      return counts.truePositives() + counts.falseNegatives();
    }

    double precision() {
      return counts.precision();
    }

    double recall() {
      return counts.recall();
    }

    /** Rows / (first to last processed time): how fast the detector worked a backlog off. */
    double drainMessagesPerSecond() {
      return drainSeconds == 0 ? 0 : messages / drainSeconds;
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    PipelineOptionsFactory.register(DemoSummaryOptions.class);
    DemoSummaryOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(DemoSummaryOptions.class);
    Path output = Path.of(options.getOutputDirectory());
    int expected = options.getExpected();
    Duration timeout = Duration.ofSeconds(options.getTimeoutSeconds());
    String anomalousSplit = options.getAnomalousSplit();
    String ignored = options.getIgnoreUidPrefix();

    List<Map<String, Object>> rows = awaitRows(output.resolve("rows"), expected, timeout, ignored);
    Figures f = figures(rows, anomalousSplit + "-");
    System.out.println();
    System.out.printf(
        Locale.ROOT, "%-28s %s%n", "messages scored", f.messages() + " of " + expected);
    System.out.printf(Locale.ROOT, "%-28s %d%n", "anomalies flagged", f.anomalies());
    System.out.printf(
        Locale.ROOT,
        "%-28s %.3f (%d of %d flagged were planted)%n",
        "precision",
        f.precision(),
        f.counts().truePositives(),
        f.anomalies());
    System.out.printf(
        Locale.ROOT,
        "%-28s %.3f (%d of %d planted were flagged)%n",
        "recall",
        f.recall(),
        f.counts().truePositives(),
        f.planted());
    System.out.printf(Locale.ROOT, "%-28s %.1f%n", "messages per second", f.messagesPerSecond());
    System.out.printf(
        Locale.ROOT,
        "%-28s %d / %d%n",
        "latency p50 / p99 (ms)",
        f.p50LatencyMs(),
        f.p99LatencyMs());
    if (options.getReportDrain()) {
      System.out.printf(
          Locale.ROOT,
          "%-28s %.1f (%d rows in %.1f s of processing time)%n",
          "drain messages per second",
          f.drainMessagesPerSecond(),
          f.messages(),
          f.drainSeconds());
    }
    String runner = OptionValues.blankToNull(options.getDetectorRunner());
    String bus = OptionValues.blankToNull(options.getBus());
    if (runner != null || bus != null) {
      System.out.printf(
          "%-28s %s / %s%n",
          "runner / bus",
          Objects.requireNonNullElse(runner, "-"),
          Objects.requireNonNullElse(bus, "-"));
    }
    System.out.printf("%-28s %s%n", "rows (NDJSON)", output.resolve("rows"));
    System.out.printf("%-28s %s%n", "dead letters", output.resolve("errors"));
    System.out.printf(
        "%-28s %s%n",
        "alert digests (.eml)",
        Objects.requireNonNullElse(
            OptionValues.blankToNull(options.getOutbox()), output.resolve("outbox").toString()));
    ObjectNode summary = summaryJson(f, runner, bus, options.getReportDrain());
    System.out.println(summary);
    if (f.messages() < expected) {
      System.exit(1);
    }
  }

  /**
   * The summary's last line; runner and bus are left out when null, the drain figures unless asked.
   */
  static ObjectNode summaryJson(Figures f, String runner, String bus, boolean reportDrain) {
    ObjectNode summary =
        Json.MAPPER
            .createObjectNode()
            .put("messages", f.messages())
            .put("anomalies", f.anomalies())
            .put("precision", round(f.precision()))
            .put("recall", round(f.recall()))
            .put("messages_per_second", round(f.messagesPerSecond()))
            .put("p50_latency_ms", f.p50LatencyMs())
            .put("p99_latency_ms", f.p99LatencyMs());
    if (reportDrain) {
      summary
          .put("drain_seconds", round(f.drainSeconds()))
          .put("drain_messages_per_second", round(f.drainMessagesPerSecond()));
    }
    if (runner != null) {
      summary.put("runner", runner);
    }
    if (bus != null) {
      summary.put("bus", bus);
    }
    return summary;
  }

  static Figures figures(List<Map<String, Object>> rows, String plantedUidPrefix) {
    long truePositives = 0;
    long falsePositives = 0;
    long trueNegatives = 0;
    long falseNegatives = 0;
    List<Long> latencies = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    Instant firstProcessed = null;
    for (Map<String, Object> row : rows) {
      boolean flagged = Boolean.TRUE.equals(row.get(DetectionRow.IS_ANOMALY));
      boolean isPlanted = String.valueOf(row.get(DetectionRow.UID)).startsWith(plantedUidPrefix);
      if (flagged) {
        if (isPlanted) {
          truePositives++;
        } else {
          falsePositives++;
        }
      } else if (isPlanted) {
        falseNegatives++;
      } else {
        trueNegatives++;
      }
      Instant published = Instant.parse((String) row.get(DetectionRow.PUBLISH_TIME));
      Instant processed = Instant.parse((String) row.get(DetectionRow.PROCESSED_TIME));
      latencies.add(Duration.between(published, processed).toMillis());
      first = first == null || published.isBefore(first) ? published : first;
      last = last == null || processed.isAfter(last) ? processed : last;
      firstProcessed =
          firstProcessed == null || processed.isBefore(firstProcessed) ? processed : firstProcessed;
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    double seconds =
        first == null ? 0 : Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0);
    return new Figures(
        rows.size(),
        new ConfusionCounts(truePositives, falsePositives, trueNegatives, falseNegatives),
        seconds == 0 ? 0 : rows.size() / seconds,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        firstProcessed == null
            ? 0
            : Math.max(0.001, Duration.between(firstProcessed, last).toMillis() / 1000.0));
  }

  /** Nearest-rank percentile; 0 for no data. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static List<Map<String, Object>> awaitRows(
      Path rowsDirectory, int expected, Duration timeout, String ignoredUidPrefix)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> rows = readRows(rowsDirectory, ignoredUidPrefix);
    // one whole line per change, at most every few seconds: a carriage-return progress line runs
    // into the next line wherever the output is captured instead of shown on a terminal
    int shown = -1;
    long nextProgress = 0;
    while (rows.size() < expected && System.nanoTime() < deadline) {
      if (rows.size() != shown && System.nanoTime() >= nextProgress) {
        System.out.printf("detector rows: %d of %d%n", rows.size(), expected);
        shown = rows.size();
        nextProgress = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
      }
      Thread.sleep(1000);
      rows = readRows(rowsDirectory, ignoredUidPrefix);
    }
    System.out.printf("detector rows: %d of %d%n", rows.size(), expected);
    return rows;
  }

  /**
   * Every row once (a uid seen in two files, a retried write, counts once), but the ignored ones.
   */
  private static List<Map<String, Object>> readRows(Path directory, String ignoredUidPrefix)
      throws IOException {
    Map<String, Map<String, Object>> byUid = new LinkedHashMap<>();
    for (Map<String, Object> row : DetectionRowFiles.read(directory)) {
      String uid = String.valueOf(row.get(DetectionRow.UID));
      if (ignoredUidPrefix.isEmpty() || !uid.startsWith(ignoredUidPrefix)) {
        byUid.putIfAbsent(uid, row);
      }
    }
    return new ArrayList<>(byUid.values());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
