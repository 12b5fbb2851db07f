package dev.anomalystream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.anomalystream.core.testing.ChromiumBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page in headless Chromium against a real server that follows an NDJSON rows directory and the
 * stream view's windows/ and topics/ beside it, which the test writes to while the page is open.
 * The screenshot it leaves in {@code target/dashboard-browser/} is for a person to look at. Skipped
 * when no Chromium is installed; {@code -Dchromium.binary=PATH} points at a non-standard one.
 */
class DashboardBrowserTest {
  private static final Path OUTPUT = Path.of("target", "dashboard-browser");
  // the page promises an update within 2 s of a new row; the follower polls every 0.5 s
  private static final Duration UPDATE = Duration.ofSeconds(5);

  @Test
  void showsRowsAsTheyArriveAndMessageTextOnlyAsText(@TempDir Path work) throws Exception {
    Path chromiumBinary = ChromiumBinary.find();
    assumeTrue(
        chromiumBinary != null,
        "no Chromium binary (looked for -Dchromium.binary, /usr/bin/chromium, chromium and"
            + " chromium-browser on PATH); install it with: apt-get install -y chromium");
    Path rows = Files.createDirectories(work.resolve("rows"));
    Path profile = Files.createDirectories(work.resolve("profile"));
    writeRows(
        rows,
        "rows-1.json",
        TestRows.line("calm-1", "what a lovely morning", false, 0.21),
        TestRows.line("odd-1", "how many moons does neptune have", true, 0.83),
        "{\"uid\":\"broken\"",
        TestRows.line("hostile-1", TestRows.HOSTILE_TEXT, true, 0.91));
    Path models = work.resolve("models");
    CalibratedRatesTest.writeVersion(models, "v20261130-070000");
    EventHub hub = EventHub.startingNow(1000, 1000, new CalibratedRates(models, "tweets"));
    try (DashboardServer server = DashboardServer.start("127.0.0.1", 0, hub);
        RowDirectoryFollower follower = new RowDirectoryFollower(rows);
        // windows/ and topics/ beside rows/, as the detector writes them (Dashboard.sources)
        RowDirectoryFollower streamView = RowDirectoryFollower.streamView(work);
        HeadlessChromium chromium = HeadlessChromium.start(chromiumBinary, profile)) {
      follower.start(hub);
      String page = "http://127.0.0.1:" + server.port() + "/";
      // no stream view followed (a Kafka or Pub/Sub source without --streamView): greyed, why
      chromium.navigate(page);
      awaitText(chromium, "count-rows", "3");
      assertEquals("off", streamViewState(chromium));
      assertTrue(text(chromium, "stream-view-note").startsWith("not followed"));
      streamView.start(hub);
      chromium.navigate(page);
      Awaitility.await("the reloaded page")
          .atMost(UPDATE)
          .ignoreExceptions() // while the old page goes
          .until(() -> streamViewState(chromium), "waiting"::equals);
      awaitText(chromium, "count-rows", "3");
      assertEquals("open", chromium.evaluate("document.body.dataset.connection"));
      assertEquals("1", text(chromium, "count-malformed"));
      assertEquals("2", text(chromium, "count-anomalies"));
      assertEquals("5", chromium.evaluate("document.querySelectorAll('.uplot').length"));
      // followed, but the stream view has written nothing yet: the panels are greyed, with a note
      assertEquals("waiting", streamViewState(chromium));
      assertTrue(text(chromium, "stream-view-note").startsWith("no stream-view rows yet"));
      assertEquals("3", text(chromium, "map-count"));
      // hovering the map's right edge picks the row furthest right: its text shows, as text
      chromium.evaluate(
          "(() => { const over = document.querySelectorAll('#chart-map .u-over')[0];"
              + " const box = over.getBoundingClientRect();"
              + " over.dispatchEvent(new MouseEvent('mousemove', {bubbles: true,"
              + " clientX: box.right - 1, clientY: box.top + box.height / 2})); return 1; })()");
      Awaitility.await("the hovered row's text")
          .atMost(UPDATE)
          .until(
              () -> text(chromium, "map-hover"), ("hostile-1: " + TestRows.HOSTILE_TEXT)::equals);
      assertEquals("calibrated for 2.0 % false alarms", text(chromium, "calibrated-rate"));

      Document dom = Jsoup.parse(chromium.evaluate("document.documentElement.outerHTML"));
      assertEquals(List.of("hostile-1", "odd-1"), dom.select("#anomaly-rows td.uid").eachText());
      assertTrue(
          dom.select("#anomaly-rows td.text").eachText().contains(TestRows.HOSTILE_TEXT),
          "the hostile message is not shown as text");
      assertTrue(dom.select("#anomaly-rows img").isEmpty(), "the message text became markup");
      assertEquals(2, dom.select("script").size(), "only the page's own two scripts");

      writeRows(
          rows,
          "rows-2.json",
          TestRows.line("calm-2", "coffee with friends", false, 0.18),
          TestRows.line("odd-2", "rm -rf / --no-preserve-root", true, 0.77));
      awaitText(chromium, "count-rows", "5");
      Awaitility.await()
          .atMost(UPDATE)
          .until(
              () -> chromium.evaluate("document.querySelector('#anomaly-rows td.uid').textContent"),
              "odd-2"::equals);
      assertEquals("3", chromium.evaluate("document.body.dataset.anomaliesListed"));

      assertEquals("0", chromium.evaluate("document.body.dataset.modelChanges"));
      writeRows(
          rows,
          "rows-3.json",
          TestRows.line("calm-3", "a walk by the river", false, 0.2)
              .replace("v20261130-070000", "v20261130-080000"));
      awaitText(chromium, "model-version", "v20261130-080000");
      assertEquals("1", chromium.evaluate("document.body.dataset.modelChanges"));

      // the stream view: windows (one of them drifting, one late pane replacing its window) and
      // a topic that grows, written while the page is open
      Path windows = Files.createDirectories(work.resolve("windows"));
      Path topics = Files.createDirectories(work.resolve("topics"));
      writeRows(
          windows,
          "windows-1.json",
          TestRows.window("2026-11-30T07:20:00Z", 1.2, 0),
          TestRows.window("2026-11-30T07:21:00Z", 2.1, 0),
          "{\"window_end\":\"not a window\"}");
      writeRows(
          topics,
          "topics-1.json",
          TestRows.topic(
              "topic-7", "2026-11-30T07:21:00Z", 5, "neptune has moons", TestRows.HOSTILE_TEXT));
      awaitText(chromium, "topic-count", "1");
      awaitText(chromium, "window-count", "2");
      assertEquals("live", streamViewState(chromium));
      assertEquals("0", chromium.evaluate("document.body.dataset.drifting"));
      writeRows(
          windows,
          "windows-2.json",
          TestRows.window("2026-11-30T07:22:00Z", 4.6, 0),
          TestRows.window("2026-11-30T07:20:00Z", 3.5, 1));
      writeRows(
          topics,
          "topics-2.json",
          TestRows.topic("topic-9", "2026-11-30T07:22:00Z", 6, "a second topic"),
          TestRows.topic(
              "topic-7",
              "2026-11-30T07:23:00Z",
              9,
              "neptune has moons",
              TestRows.HOSTILE_TEXT,
              "how many moons",
              "a fourth example the page leaves out"));
      awaitText(chromium, "window-count", "3");
      Awaitility.await("both drifting windows marked")
          .atMost(UPDATE)
          .until(() -> chromium.evaluate("document.body.dataset.drifting"), "2"::equals);
      Awaitility.await("topic-7 updated in place")
          .atMost(UPDATE)
          .until(() -> text(chromium, "topic-list").contains("9 messages"));
      assertEquals("2", text(chromium, "topic-count"));
      assertEquals("2", text(chromium, "count-malformed"), "the bad window row is counted");
      assertTrue(text(chromium, "drift-latest").contains("drift 4.600 against 3.000: drifting"));
      // the windows name one model version so far: no mark on the drift chart
      assertEquals("0", chromium.evaluate("document.body.dataset.driftModelChanges"));
      assertEquals("0", driftMarksDrawn(chromium));
      // a window of the next version: its end marked on the drift chart, as on the time series
      writeRows(
          windows,
          "windows-3.json",
          TestRows.window("2026-11-30T07:24:00Z", 1.1, 0)
              .replace("v20261130-070000", "v20261130-080000"));
      awaitText(chromium, "window-count", "4");
      Awaitility.await("the version change marked on the drift chart")
          .atMost(UPDATE)
          .until(() -> driftMarksDrawn(chromium), "1"::equals);
      assertEquals("1", chromium.evaluate("document.body.dataset.driftModelChanges"));
      Document topicDom = Jsoup.parse(chromium.evaluate("document.documentElement.outerHTML"));
      assertEquals(
          List.of("topic-7", "topic-9"), topicDom.select("#topic-list .topic-id").eachText());
      assertEquals(
          List.of("neptune has moons", TestRows.HOSTILE_TEXT, "how many moons"),
          topicDom.select("#topic-list li[data-topic-id=topic-7] ul.examples li").eachText());
      assertTrue(topicDom.select("#topic-list img").isEmpty(), "an example became markup");
      assertEquals("terms: moons, neptune", topicDom.select(".topic-terms").first().text());

      chromium.evaluate(
          "(() => { const f = document.getElementById('filter'); f.value = 'neptune';"
              + " f.dispatchEvent(new Event('input')); })()");
      assertEquals("1", chromium.evaluate("document.body.dataset.anomaliesListed"));
      chromium.evaluate(
          "(() => { const f = document.getElementById('filter'); f.value = '';"
              + " f.dispatchEvent(new Event('input')); })()");

      Path screenshot = OUTPUT.resolve("dashboard.png");
      Files.createDirectories(OUTPUT);
      Files.write(screenshot, chromium.screenshot());
      // a blank page compresses to a few kilobytes; charts and a table make it far larger
      assertTrue(Files.size(screenshot) > 30_000, "screenshot is suspiciously small");
      assertEquals(List.of(), chromium.problems(), "script errors, CSP violations or dialogs");
    }
  }

  /** As the detector writes: under a temporary name, then renamed. */
  private static void writeRows(Path rows, String name, String... lines) throws Exception {
    Path inProgress = rows.resolve(name + ".inprogress");
    Files.writeString(inProgress, String.join("\n", lines) + "\n");
    Files.move(inProgress, rows.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String text(HeadlessChromium chromium, String id) throws Exception {
    return chromium.evaluate("document.getElementById('" + id + "').textContent");
  }

  /** Model-version marks the drift chart drew in its last draw pass. */
  private static String driftMarksDrawn(HeadlessChromium chromium) throws Exception {
    return chromium.evaluate(
        "document.querySelector('#chart-drift .uplot').dataset.modelMarks || '0'");
  }

  private static String streamViewState(HeadlessChromium chromium) throws Exception {
    return chromium.evaluate("document.getElementById('stream-view').dataset.state");
  }

  private static void awaitText(HeadlessChromium chromium, String id, String expected) {
    Callable<String> current = () -> text(chromium, id);
    Awaitility.await(id + " showing " + expected).atMost(UPDATE).until(current, expected::equals);
  }
}
