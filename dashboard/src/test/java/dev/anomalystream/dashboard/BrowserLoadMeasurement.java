package dev.anomalystream.dashboard;

import dev.anomalystream.core.json.Json;
import dev.anomalystream.core.testing.ChromiumBinary;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code scripts/bench-dashboard --chromium}: {@link LoadMeasurement} with real browsers. One
 * headless Chromium process per browser (each its own profile, as separate people's browsers are),
 * every one showing the page of one server that is fed {@code --rowsPerSecond} for {@code
 * --seconds}; then, read from each page over the DevTools protocol, the rows the page itself
 * received and the events the server dropped for it. Prints the server's CPU (its threads only) and
 * heap, the browsers' CPU and memory, each page's count, and the load average; the last line is
 * JSON.
 *
 * <p>A main among the tests because it drives the tests' {@link HeadlessChromium}; not a test: its
 * figures depend on the machine.
 */
public final class BrowserLoadMeasurement {
  /** How long the pages may take, after the last row, to have received every row. */
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private BrowserLoadMeasurement() {}

  public static void main(String[] args) throws Exception {
    PipelineOptionsFactory.register(LoadMeasurement.LoadOptions.class);
    LoadMeasurement.LoadOptions options =
        PipelineOptionsFactory.fromArgs(args).as(LoadMeasurement.LoadOptions.class);
    Path binary = ChromiumBinary.find();
    if (binary == null) {
      System.err.println("no Chromium: apt-get install -y chromium, or -Dchromium.binary=PATH");
      System.exit(2);
    }
    Map<String, Object> result =
        measure(binary, options.getBrowsers(), options.getRowsPerSecond(), options.getSeconds());
    result.forEach((name, value) -> System.out.printf("%-28s %s%n", name, value));
    System.out.println(Json.MAPPER.writeValueAsString(result));
  }

  static Map<String, Object> measure(Path binary, int browsers, int rowsPerSecond, int seconds)
      throws Exception {
    EventHub hub = EventHub.startingNow(5000, 1000, null);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong maxHeap = new AtomicLong();
    Path profiles = Files.createTempDirectory("dashboard-browsers");
    List<HeadlessChromium> pages = new ArrayList<>();
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, hub)) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      for (int i = 0; i < browsers; i++) {
        HeadlessChromium page =
            HeadlessChromium.start(binary, Files.createDirectories(profiles.resolve("b" + i)));
        pages.add(page);
        page.navigate(url);
      }
      long connected = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (HeadlessChromium page : pages) {
        if (!awaitValue(page, "document.body.dataset.connection", "open", connected)) {
          throw new IllegalStateException("a page did not connect within 60 s");
        }
      }
      if (hub.clientCount() != browsers) {
        throw new IllegalStateException(hub.clientCount() + " event streams, not " + browsers);
      }
      long serverCpuBefore = LoadMeasurement.serverCpuNanos(cpu);
      long browsersCpuBefore = browsersCpuNanos(pages);
      long wallStart = System.nanoTime();
      LoadMeasurement.feed(hub, rowsPerSecond, seconds, maxHeap);
      double feedSeconds = (System.nanoTime() - wallStart) / 1e9;
      // every page's own count of rows received reaches the total, or the wait ends (a page the
      // server dropped events for never gets there: its count and drops are reported)
      String total = String.valueOf(hub.rows());
      long caughtUp = System.nanoTime();
      long deadline = caughtUp + CATCH_UP.toNanos();
      for (HeadlessChromium page : pages) {
        awaitValue(page, "document.body.dataset.rowsHere", total, deadline);
      }
      double catchUpSeconds = (System.nanoTime() - caughtUp) / 1e9;
      double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
      double serverCpuSeconds = (LoadMeasurement.serverCpuNanos(cpu) - serverCpuBefore) / 1e9;
      double browsersCpuSeconds = (browsersCpuNanos(pages) - browsersCpuBefore) / 1e9;

      List<Long> rowsPerPage = new ArrayList<>();
      List<Long> droppedPerPage = new ArrayList<>();
      List<Long> pageHeapMb = new ArrayList<>();
      for (HeadlessChromium page : pages) {
        rowsPerPage.add(Long.parseLong(page.evaluate("document.body.dataset.rowsHere")));
        // "all browsers / this one", as the page shows it
        String dropped = page.evaluate("document.getElementById('count-dropped').textContent");
        droppedPerPage.add(Long.parseLong(dropped.substring(dropped.indexOf('/') + 1).trim()));
        pageHeapMb.add(
            Long.parseLong(
                    page.evaluate(
                        "String(performance.memory ? performance.memory.usedJSHeapSize" + " : -1)"))
                / (1024 * 1024));
      }
      List<String> problems = new ArrayList<>();
      for (HeadlessChromium page : pages) {
        problems.addAll(page.problems());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("browsers", browsers);
      result.put("rows_per_second", rowsPerSecond);
      result.put("seconds", seconds);
      result.put("rows_published", hub.rows());
      // below the rate asked for when the machine could not run the feeding thread in time
      result.put("feed_seconds", Math.round(feedSeconds * 10) / 10.0);
      result.put("rows_per_second_fed", Math.round(hub.rows() / feedSeconds));
      result.put("rows_per_page", rowsPerPage);
      result.put(
          "every_page_reached_total", rowsPerPage.stream().allMatch(rows -> rows == hub.rows()));
      result.put("waited_after_feeding_s", Math.round(catchUpSeconds * 10) / 10.0);
      result.put("events_dropped_per_page", droppedPerPage);
      result.put("events_dropped", hub.dropped());
      result.put("server_cpu_cores", Math.round(100 * serverCpuSeconds / wallSeconds) / 100.0);
      result.put("browsers_cpu_cores", Math.round(100 * browsersCpuSeconds / wallSeconds) / 100.0);
      result.put("heap_used_peak_mb", maxHeap.get() / (1024 * 1024));
      System.gc();
      result.put("heap_live_after_gc_mb", memory.getHeapMemoryUsage().getUsed() / (1024 * 1024));
      result.put("page_js_heap_mb", pageHeapMb);
      result.put("browsers_pss_mb", browsersPssMb(pages));
      result.put("page_problems", problems.size());
      result.put("processors", Runtime.getRuntime().availableProcessors());
      result.put("load_average", Files.readString(Path.of("/proc/loadavg")).trim());
      result.put("finished", Instant.now().toString());
      return result;
    } finally {
      for (HeadlessChromium page : pages) {
        page.close();
      }
      // ten profiles are about 70 MB
      try (Stream<Path> files = Files.walk(profiles)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** Whether {@code expression} is {@code expected} in the page by {@code deadline} (nanoTime). */
  private static boolean awaitValue(
      HeadlessChromium page, String expression, String expected, long deadline) throws Exception {
    while (!expected.equals(page.evaluate(expression))) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  /** CPU time of every Chromium process (browser, renderers, GPU and utility processes). */
  private static long browsersCpuNanos(List<HeadlessChromium> pages) {
    return processes(pages)
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  /**
   * Memory of every Chromium process: the proportional set size from /proc, each shared page
   * divided among the processes sharing it (their resident sizes would count it in each).
   */
  private static long browsersPssMb(List<HeadlessChromium> pages) {
    long kb = 0;
    for (ProcessHandle process : processes(pages).toList()) {
      try {
        for (String line :
            Files.readAllLines(Path.of("/proc", process.pid() + "", "smaps_rollup"))) {
          if (line.startsWith("Pss:")) {
            kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (java.io.IOException e) {
        // the process ended meanwhile
      }
    }
    return kb / 1024;
  }

  private static Stream<ProcessHandle> processes(List<HeadlessChromium> pages) {
    return pages.stream()
        .map(HeadlessChromium::process)
        .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()));
  }
}
