package dev.anomalystream.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.anomalystream.core.detection.DetectionRow;
import dev.anomalystream.core.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code scripts/bench-dashboard}: does the server keep up with {@code --browsers} event streams at
 * {@code --rowsPerSecond}? Runs a real server on a free port, feeds its hub at that rate (rows as
 * the detector writes them, parsed as from the source) and reads every stream over HTTP. Prints the
 * server's CPU (its threads only, not the readers'), heap, rows each stream got, events dropped and
 * the delay from publishing a row to a stream reading it; the last line is JSON.
 */
public final class LoadMeasurement {
  private LoadMeasurement() {}

  /** The measurement's flags. */
  public interface LoadOptions extends PipelineOptions {
    @Description("Event streams read at once")
    @Default.Integer(10)
    int getBrowsers();

    void setBrowsers(int value);

    @Description("Rows per second fed to the server")
    @Default.Integer(200)
    int getRowsPerSecond();

    void setRowsPerSecond(int value);

    @Description("How long to feed rows, in seconds")
    @Default.Integer(30)
    int getSeconds();

    void setSeconds(int value);
  }

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(LoadOptions.class);
    LoadOptions options = PipelineOptionsFactory.fromArgs(args).as(LoadOptions.class);
    Map<String, Object> result =
        measure(options.getBrowsers(), options.getRowsPerSecond(), options.getSeconds());
    result.forEach((name, value) -> System.out.printf("%-28s %s%n", name, value));
    System.out.println(Json.MAPPER.writeValueAsString(result));
  }

  static Map<String, Object> measure(int browsers, int rowsPerSecond, int seconds)
      throws Exception {
    EventHub hub = EventHub.startingNow(5000, 1000, null);
    AtomicLongArray received = new AtomicLongArray(browsers);
    List<Long> delaysMillis = Collections.synchronizedList(new ArrayList<>());
    AtomicLong maxHeap = new AtomicLong();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, hub)) {
      HttpClient http = HttpClient.newHttpClient();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < browsers; i++) {
        int browser = i;
        HttpResponse<InputStream> stream =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/events"))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Thread reader =
            new Thread(() -> read(stream, browser, received, delaysMillis), "load-reader-" + i);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
      }
      long serverCpuBefore = serverCpuNanos(cpu);
      long wallStart = System.nanoTime();
      feed(hub, rowsPerSecond, seconds, maxHeap);
      Thread.sleep(2_000); // the last rows reach the readers
      double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
      double serverCpuSeconds = (serverCpuNanos(cpu) - serverCpuBefore) / 1e9;
      long[] perBrowser = new long[browsers];
      for (int i = 0; i < browsers; i++) {
        perBrowser[i] = received.get(i);
      }
      long[] delays = delaysMillis.stream().mapToLong(Long::longValue).sorted().toArray();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("browsers", browsers);
      result.put("rows_per_second", rowsPerSecond);
      result.put("rows_published", hub.rows());
      result.put("rows_min_per_browser", Arrays.stream(perBrowser).min().orElse(0));
      result.put("events_dropped", hub.dropped());
      result.put("server_cpu_cores", Math.round(100 * serverCpuSeconds / wallSeconds) / 100.0);
      // the peak includes the readers' garbage; what the server holds is what survives a GC
      result.put("heap_used_peak_mb", maxHeap.get() / (1024 * 1024));
      delaysMillis.clear();
      System.gc();
      result.put("heap_live_after_gc_mb", memory.getHeapMemoryUsage().getUsed() / (1024 * 1024));
      result.put("delay_p50_ms", percentile(delays, 0.50));
      result.put("delay_p99_ms", percentile(delays, 0.99));
      result.put("delay_max_ms", delays.length == 0 ? -1 : delays[delays.length - 1]);
      result.put("processors", Runtime.getRuntime().availableProcessors());
      return result;
    }
  }

  /**
   * Publishes {@code rowsPerSecond × seconds} rows to the hub at a steady rate, as a source would
   * (every 50th an anomaly), noting the peak heap used in {@code maxHeap} once a second.
   */
  static void feed(EventHub hub, int rowsPerSecond, int seconds, AtomicLong maxHeap)
      throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long start = System.nanoTime();
    long periodNanos = 1_000_000_000L / rowsPerSecond;
    long total = (long) rowsPerSecond * seconds;
    for (long row = 0; row < total; row++) {
      long wait = start + row * periodNanos - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      hub.publishLine(row("load-" + row, row % 50 == 0));
      if (row % rowsPerSecond == 0) {
        maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      }
    }
  }

  /**
   * CPU time of the server's threads (HTTP handlers and streams) and of this one (the source's
   * work: parsing rows, handing them out), not of the readers.
   */
  static long serverCpuNanos(ThreadMXBean cpu) {
    long total = cpu.getCurrentThreadCpuTime();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("dashboard-http-")) {
        total += Math.max(0, cpu.getThreadCpuTime(thread.getId()));
      }
    }
    return total;
  }

  /** A row as the detector writes it (without embedding), processed now. */
  private static String row(String uid, boolean anomaly) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put(DetectionRow.UID, uid);
    row.put(DetectionRow.TEXT, "i feel like the weekend went by far too fast again, back to work");
    row.put(DetectionRow.CLUSTER, anomaly ? -1 : 3);
    row.put(DetectionRow.IS_ANOMALY, anomaly);
    row.put(DetectionRow.PROBABILITY, 0.8);
    row.put(DetectionRow.OUTLIER_SCORE, 0.2);
    row.put(DetectionRow.KNN_SCORE, anomaly ? 0.7 : 0.3);
    row.put(DetectionRow.THRESHOLD, 0.5);
    row.put(DetectionRow.DECISION, "knn");
    row.put(DetectionRow.MODEL_VERSION, "v20261130-070000");
    row.put(DetectionRow.EMBEDDING_MODEL, "builtin:bge-small-en-v1.5");
    row.put(DetectionRow.PUBLISH_TIME, Instant.now().toString());
    row.put(DetectionRow.PROCESSED_TIME, Instant.now().toString());
    try {
      return Json.MAPPER.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void read(
      HttpResponse<InputStream> stream,
      int browser,
      AtomicLongArray received,
      List<Long> delaysMillis) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      boolean row = false;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("event: row")) {
          row = true;
        } else if (row && line.startsWith("data: ")) {
          row = false;
          received.incrementAndGet(browser);
          int start = line.indexOf("\"processed_time\":\"") + 18;
          Instant sent = Instant.parse(line.substring(start, line.indexOf('"', start)));
          delaysMillis.add(System.currentTimeMillis() - sent.toEpochMilli());
        }
      }
    } catch (Exception e) {
      // the server stopped
    }
  }

  static long percentile(long[] sorted, double quantile) {
    return sorted.length == 0
        ? -1
        : sorted[(int) Math.min(sorted.length - 1, quantile * sorted.length)];
  }
}
